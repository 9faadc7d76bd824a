/**
 * `templatePatch`: after rendering, the patch (a YAML or JSON text, itself a template) is applied to each
 * Application as Kubernetes' strategic merge patch applies to a type whose lists carry no merge keys — Argo CD's
 * Application has none —, so maps merge key by key, lists are replaced whole and `null` removes a field. The project
 * cannot be changed by a patch (Argo CD keeps it, so a patch cannot move an Application into another project).
 */
import { parse } from 'yaml';
import { LaunchpadError } from '../errors.js';
import { describeError } from '../errors.js';
import { describeValue, isPlainObject } from '../model/values.js';

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out = new Map(Object.entries(isPlainObject(target) ? target : {}));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) out.delete(key);
    else out.set(key, mergePatch(out.get(key), value));
  }
  return Object.fromEntries(out);
}

/** Parses a rendered templatePatch; an error names the problem and quotes the rendered text. */
export function parseTemplatePatch(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new LaunchpadError(`invalid templatePatch ${JSON.stringify(text)}: ${describeError(error)}`, { fix: 'the rendered patch must be a YAML or JSON mapping' });
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlainObject(parsed)) throw new LaunchpadError(`invalid templatePatch: it renders to ${describeValue(parsed)}, not a mapping`, { fix: 'write the patch as a mapping, e.g. spec: {…}' });
  for (const key of ['metadata', 'spec']) {
    if (parsed[key] !== undefined && parsed[key] !== null && !isPlainObject(parsed[key])) throw new LaunchpadError(`invalid templatePatch: ${key} is ${describeValue(parsed[key])}, not a mapping`);
  }
  return parsed;
}
