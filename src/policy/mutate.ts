/**
 * Mutate rules: `patchStrategicMerge` (with anchors), `patchesJson6902` (YAML or JSON text, variables substituted
 * first) and `foreach` over a list, applied in order to the object; the result must still be a valid object of the
 * same kind and name.
 */
import { load as loadYaml } from 'js-yaml';
import type { EvaluationEnvironment, JsonPatchOperation, KubeObject } from './api.js';
import { checkConditions } from './conditions.js';
import { loadContext, scopeOf } from './context.js';
import { EvaluationError } from './errors.js';
import { searchExpression } from './jmespath.js';
import { applyJsonPatch, JsonPatchError } from './json-patch.js';
import type { CompiledRule, ForeachBlock } from './model.js';
import { isRecord, jsonEqual } from './scalars.js';
import { GlobalAnchorSkip, strategicMerge } from './strategic-merge.js';
import { elementDocument } from './validate.js';
import { substituteString, substituteTree } from './variables.js';

export interface MutateOutcome {
  readonly status: 'pass' | 'skip' | 'error';
  readonly message: string;
  readonly object: KubeObject;
}

/** Puts the object being patched into the document variables read: `request.object` in admission, `target` for mutate-existing. */
export type BindObject = (document: Record<string, unknown>, object: KubeObject) => Record<string, unknown>;

const withObject: BindObject = (document, object) => ({ ...document, request: { ...(document.request as Record<string, unknown>), object } });

/** Mutate-existing: the trigger stays `request.object`; the target being patched is `target`. */
export const asTarget: BindObject = (document, object) => ({ ...document, target: object });

function parseJsonPatch(text: string, path: string): JsonPatchOperation[] {
  let parsed: unknown;
  try {
    parsed = loadYaml(text);
  } catch (cause) {
    throw new EvaluationError(`${path}: not valid YAML/JSON: ${cause instanceof Error ? cause.message : String(cause)}`, path);
  }
  if (!Array.isArray(parsed) || !parsed.every((operation) => isRecord(operation) && typeof operation.op === 'string' && typeof operation.path === 'string')) {
    throw new EvaluationError(`${path}: must be a list of operations with op and path`, path);
  }
  return parsed as JsonPatchOperation[];
}

/** Where patches apply: the variables' document, the policy path for messages, how the object is bound into it. */
interface PatchPlace {
  readonly document: Record<string, unknown>;
  readonly path: string;
  readonly bind: BindObject;
}

function applyPatches(object: KubeObject, block: { readonly patchStrategicMerge?: unknown; readonly patchesJson6902?: string }, { document, path, bind }: PatchPlace): KubeObject {
  let result = object;
  const scope = scopeOf(bind(document, object));
  if (block.patchStrategicMerge !== undefined) {
    const patch = substituteTree(block.patchStrategicMerge, scope, `${path}.patchStrategicMerge`);
    result = strategicMerge(result, patch) as KubeObject;
  }
  if (block.patchesJson6902 !== undefined) {
    const text = String(substituteString(block.patchesJson6902, scope, `${path}.patchesJson6902`));
    try {
      result = applyJsonPatch(result, parseJsonPatch(text, `${path}.patchesJson6902`));
    } catch (cause) {
      if (cause instanceof JsonPatchError) throw new EvaluationError(`${path}.patchesJson6902: ${cause.message}`, cause.path);
      throw cause;
    }
  }
  return result;
}

/** The object after the mutation must still be an object of the same identity: say where it broke. */
export function checkMutatedObject(before: KubeObject, after: unknown): string | undefined {
  if (!isRecord(after)) return 'the mutation did not produce an object';
  if (after.apiVersion !== before.apiVersion) return `the mutation changed or removed /apiVersion (${JSON.stringify(after.apiVersion)})`;
  if (after.kind !== before.kind) return `the mutation changed or removed /kind (${JSON.stringify(after.kind)})`;
  if (!isRecord(after.metadata)) return 'the mutation removed /metadata';
  if (after.metadata.name !== before.metadata.name) return `the mutation changed or removed /metadata/name (${JSON.stringify(after.metadata.name)})`;
  if (after.metadata.namespace !== before.metadata.namespace) return 'the mutation changed /metadata/namespace';
  for (const field of ['labels', 'annotations'] as const) {
    const map = after.metadata[field];
    if (map === undefined) continue;
    if (!isRecord(map)) return `/metadata/${field} must be a map`;
    const bad = Object.entries(map).find(([, value]) => typeof value !== 'string');
    if (bad !== undefined) return `/metadata/${field}/${bad[0]} must be a string, the mutation made it ${JSON.stringify(bad[1])}`;
  }
  return undefined;
}

interface ForeachPosition {
  readonly environment: EvaluationEnvironment;
  readonly bind: BindObject;
  readonly depth: number;
  readonly path: string;
}

async function runForeach(blocks: readonly ForeachBlock[], object: KubeObject, document: Record<string, unknown>, position: ForeachPosition): Promise<KubeObject> {
  const { environment, bind } = position;
  let result = object;
  for (const [blockIndex, block] of blocks.entries()) {
    const path = `${position.path}[${blockIndex}]`;
    const listed = searchExpression(block.list, bind(document, result));
    const elements = Array.isArray(listed) ? listed : listed === null || listed === undefined ? [] : [listed];
    const indexes = elements.map((_, index) => index);
    if (block.order === 'Descending') indexes.reverse();
    for (const index of indexes) {
      const scoped = elementDocument(bind(document, result), elements[index], index, position.depth);
      await loadContext(block.context ?? [], scoped, environment, `${path}.context`);
      if (block.preconditions !== undefined && !checkConditions(block.preconditions, scopeOf(scoped), `${path}.preconditions`).holds) continue;
      result = applyPatches(result, block, { document: scoped, path, bind });
      if (block.foreach !== undefined) result = await runForeach(block.foreach, result, scoped, { environment, bind, depth: position.depth + 1, path: `${path}.foreach` });
    }
  }
  return result;
}

/**
 * The body of a mutate rule, after match, context and preconditions, on `object`: the admitted object, or a target
 * of a mutate-existing rule when the environment carries `bind: asTarget`.
 */
export async function runMutate(rule: CompiledRule, object: KubeObject, document: Record<string, unknown>, environment: EvaluationEnvironment & { readonly bind?: BindObject }): Promise<MutateOutcome> {
  const bind = environment.bind ?? withObject;
  const spec = rule.mutate;
  const path = `spec.rules[${rule.index}].mutate`;
  if (spec === undefined) return { status: 'error', message: 'not a mutate rule', object };
  let result: KubeObject;
  try {
    result = applyPatches(object, spec, { document, path, bind });
    if (spec.foreach !== undefined) result = await runForeach(spec.foreach, result, document, { environment, bind, depth: 0, path: `${path}.foreach` });
  } catch (cause) {
    if (cause instanceof GlobalAnchorSkip) return { status: 'skip', message: cause.message, object };
    throw cause;
  }
  const invalid = checkMutatedObject(object, result);
  if (invalid !== undefined) return { status: 'error', message: `${path}: ${invalid}`, object };
  if (jsonEqual(result, object)) return { status: 'skip', message: 'no patches applied', object };
  return { status: 'pass', message: `resource patched (${describePaths(object, result)})`, object: result };
}

function describePaths(before: KubeObject, after: KubeObject): string {
  const changed = Object.keys({ ...before, ...after }).filter((key) => !jsonEqual(before[key], after[key]));
  return changed.map((key) => `/${key}`).join(', ');
}
