/** RFC 6902 JSON patches: applying one (patchesJson6902) and computing one between two objects (the webhook's answer). */
import type { JsonPatchOperation } from './api.js';
import { isRecord, jsonEqual } from './scalars.js';

export class JsonPatchError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

function unescape(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}

export function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

function tokens(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new JsonPatchError(`"${path}" is not a JSON pointer (it must start with /)`, path);
  return path.slice(1).split('/').map(unescape);
}

function parentOf(document: unknown, path: string): { parent: unknown; key: string } {
  const parts = tokens(path);
  const key = parts.pop();
  if (key === undefined) throw new JsonPatchError('the root cannot be patched', path);
  let parent = document;
  for (const part of parts) {
    if (Array.isArray(parent)) parent = parent[Number(part)];
    else if (isRecord(parent)) parent = parent[part];
    else parent = undefined;
    if (parent === undefined) throw new JsonPatchError(`path ${path} does not exist (no ${part})`, path);
  }
  return { parent, key };
}

function getAt(document: unknown, path: string): unknown {
  let current = document;
  for (const part of tokens(path)) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isRecord(current)) current = current[part];
    else current = undefined;
    if (current === undefined) throw new JsonPatchError(`path ${path} does not exist`, path);
  }
  return current;
}

function arrayIndex(array: unknown[], key: string, path: string, forInsert: boolean): number {
  if (key === '-' && forInsert) return array.length;
  if (!/^\d+$/.test(key)) throw new JsonPatchError(`${key} is not a list index at ${path}`, path);
  const index = Number(key);
  if (index > array.length || (!forInsert && index === array.length)) throw new JsonPatchError(`index ${index} is out of range at ${path}`, path);
  return index;
}

function add(document: unknown, path: string, value: unknown): void {
  const { parent, key } = parentOf(document, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, true), 0, structuredClone(value));
  else if (isRecord(parent)) parent[key] = structuredClone(value);
  else throw new JsonPatchError(`cannot add at ${path}: the parent is not a map or list`, path);
}

function remove(document: unknown, path: string): unknown {
  const { parent, key } = parentOf(document, path);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, path, false), 1)[0];
  if (isRecord(parent) && Object.hasOwn(parent, key)) {
    const value = parent[key];
    Reflect.deleteProperty(parent, key);
    return value;
  }
  throw new JsonPatchError(`cannot remove ${path}: it does not exist`, path);
}

/** Applies operations to a copy of the document; throws JsonPatchError naming the failing path. */
export function applyJsonPatch<T>(document: T, operations: readonly JsonPatchOperation[]): T {
  const result = structuredClone(document);
  for (const operation of operations) {
    switch (operation.op) {
      case 'add':
        add(result, operation.path, operation.value);
        break;
      case 'remove':
        remove(result, operation.path);
        break;
      case 'replace':
        remove(result, operation.path);
        add(result, operation.path, operation.value);
        break;
      case 'move':
        add(result, operation.path, remove(result, operation.from ?? ''));
        break;
      case 'copy':
        add(result, operation.path, getAt(result, operation.from ?? ''));
        break;
      case 'test':
        if (!jsonEqual(getAt(result, operation.path), operation.value)) throw new JsonPatchError(`test failed at ${operation.path}`, operation.path);
        break;
      default:
        throw new JsonPatchError(`unknown operation ${JSON.stringify((operation as { op: unknown }).op)}`, (operation as { path?: string }).path ?? '');
    }
  }
  return result;
}

/** A patch turning `before` into `after`: per key for maps, per index for lists of the same length, else replace. */
export function diffJsonPatch(before: unknown, after: unknown, path = ''): JsonPatchOperation[] {
  if (jsonEqual(before, after)) return [];
  if (isRecord(before) && isRecord(after)) return diffMaps(before, after, path);
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, index) => diffJsonPatch(item, after[index], `${path}/${index}`));
  }
  if (Array.isArray(before) && Array.isArray(after) && after.length > before.length && before.every((item, index) => jsonEqual(item, after[index]))) {
    return (after as unknown[]).slice(before.length).map((value) => ({ op: 'add' as const, path: `${path}/-`, value }));
  }
  return [{ op: 'replace', path, value: after }];
}

function diffMaps(before: Record<string, unknown>, after: Record<string, unknown>, path: string): JsonPatchOperation[] {
  const operations: JsonPatchOperation[] = [];
  for (const key of Object.keys(before)) {
    const at = `${path}/${escapePointerToken(key)}`;
    if (!Object.hasOwn(after, key)) operations.push({ op: 'remove', path: at });
    else operations.push(...diffJsonPatch(before[key], after[key], at));
  }
  for (const key of Object.keys(after)) {
    if (!Object.hasOwn(before, key)) operations.push({ op: 'add', path: `${path}/${escapePointerToken(key)}`, value: after[key] });
  }
  return operations;
}
