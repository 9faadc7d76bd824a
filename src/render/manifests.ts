/**
 * Turning YAML/JSON text (a manifest file, or a tool's stdout) into Kubernetes objects. Null documents are skipped,
 * `List` kinds are flattened as Argo CD does, and anything that is not an object with apiVersion/kind/name is an
 * error naming the file and line.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import { InputError } from '../errors.js';
import type { KubeObject } from '../model/resource.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isListKind(value: Record<string, unknown>): boolean {
  return typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items);
}

function checkObject(value: Record<string, unknown>, where: { file: string; line: number }): KubeObject {
  const fix = 'every document must be a Kubernetes object with apiVersion, kind and metadata.name';
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') throw new InputError(where, 'object has no apiVersion', { fix });
  if (typeof value.kind !== 'string' || value.kind === '') throw new InputError(where, 'object has no kind', { fix });
  const metadata = value.metadata;
  if (!isRecord(metadata)) throw new InputError(where, `${value.kind} has no metadata`, { fix });
  if (typeof metadata.name !== 'string' && typeof metadata.generateName !== 'string') {
    throw new InputError(where, `${value.kind} has no metadata.name`, { fix });
  }
  return value as unknown as KubeObject;
}

/**
 * Parses every document of `text`. `file` names the origin in errors (a path, or e.g. "helm template output").
 * A JSON file holding an array of objects is accepted too.
 */
export function parseManifestText(text: string, file: string): KubeObject[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const objects: KubeObject[] = [];
  for (const document of documents) {
    const firstError = document.errors[0];
    if (firstError !== undefined) {
      const position = lineCounter.linePos(firstError.pos[0]);
      throw new InputError({ file, line: position.line, column: position.col }, `invalid YAML: ${firstError.message.split('\n')[0] ?? ''}`, {
        fix: 'fix the syntax (indentation, quoting) at that position',
      });
    }
    const value: unknown = document.toJS({ maxAliasCount: 10_000 });
    if (value === null || value === undefined) continue;
    const line = document.contents === null ? 1 : lineCounter.linePos(document.contents.range[0]).line;
    collect(value, { file, line }, objects);
  }
  return objects;
}

function collect(value: unknown, where: { file: string; line: number }, into: KubeObject[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, where, into);
    return;
  }
  if (!isRecord(value)) {
    throw new InputError(where, `document is a ${typeof value}, not a Kubernetes object`, {
      fix: 'remove it or make it a mapping with apiVersion, kind and metadata',
    });
  }
  if (isListKind(value)) {
    for (const item of value.items as unknown[]) {
      if (item !== null) collect(item, where, into);
    }
    return;
  }
  into.push(checkObject(value, where));
}
