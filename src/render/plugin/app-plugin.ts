/**
 * An Application's `spec.source.plugin` block: which plugin (`name`), its `env` (handed over as `ARGOCD_ENV_<name>`)
 * and its `parameters` (handed over as `PARAM_*` and `ARGOCD_APP_PARAMETERS`). The model keeps the block as an
 * untyped map, so its shape is checked here, with the field named in every error.
 */
import { RenderError } from '../../errors.js';
import { describeValue, isPlainObject } from '../../model/values.js';

export interface PluginEnvEntry {
  readonly name: string;
  readonly value: string;
}

export interface PluginParameter {
  readonly name: string;
  readonly string?: string;
  readonly array?: readonly string[];
  readonly map?: Readonly<Record<string, string>>;
}

export interface AppPlugin {
  /** Empty: choose by discovery. */
  readonly name: string;
  readonly env: readonly PluginEnvEntry[];
  /** Undefined when the block has no `parameters` (Argo CD then sends `null` as ARGOCD_APP_PARAMETERS). */
  readonly parameters?: readonly PluginParameter[];
}

function bad(field: string, problem: string, fix: string): never {
  throw new RenderError(`spec.source.plugin.${field} ${problem}`, { fix });
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') bad(field, `must be a string, got ${describeValue(value)}`, 'quote the value');
  return value;
}

function readEnv(value: unknown): PluginEnvEntry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) bad('env', `must be a list of {name, value}, got ${describeValue(value)}`, 'write "env: [{name: FOO, value: bar}]"');
  return value.map((entry: unknown, index) => {
    if (!isPlainObject(entry)) bad(`env[${index}]`, `must be a map with name and value, got ${describeValue(entry)}`, 'write "- name: FOO" then "value: bar"');
    const name = text(entry.name, `env[${index}].name`);
    if (name === '') bad(`env[${index}].name`, 'is empty', 'name the variable');
    return { name, value: entry.value === undefined || entry.value === null ? '' : text(entry.value, `env[${index}].value`) };
  });
}

function readParameter(entry: unknown, index: number): PluginParameter {
  const field = `parameters[${index}]`;
  if (!isPlainObject(entry)) bad(field, `must be a map with a name, got ${describeValue(entry)}`, 'write "- name: values" then "string: …", "array: […]" or "map: {…}"');
  const name = entry.name === undefined ? '' : text(entry.name, `${field}.name`);
  const out: { name: string; string?: string; array?: string[]; map?: Record<string, string> } = { name };
  if (entry.string !== undefined && entry.string !== null) out.string = text(entry.string, `${field}.string`);
  if (entry.array !== undefined && entry.array !== null) {
    if (!Array.isArray(entry.array)) bad(`${field}.array`, `must be a list of strings, got ${describeValue(entry.array)}`, 'write "array: [a, b]"');
    out.array = entry.array.map((item: unknown, at) => text(item, `${field}.array[${at}]`));
  }
  if (entry.map !== undefined && entry.map !== null) {
    if (!isPlainObject(entry.map)) bad(`${field}.map`, `must be a map of strings, got ${describeValue(entry.map)}`, 'write "map: {key: value}"');
    const map = entry.map;
    out.map = Object.fromEntries(Object.keys(map).map((key) => [key, text(map[key], `${field}.map.${key}`)]));
  }
  return out;
}

/** Reads `spec.source.plugin`; undefined when the source has no plugin block. */
export function readAppPlugin(block: Readonly<Record<string, unknown>> | undefined): AppPlugin | undefined {
  if (block === undefined) return undefined;
  const name = block.name === undefined || block.name === null ? '' : text(block.name, 'name');
  const parameters = block.parameters;
  if (parameters !== undefined && parameters !== null && !Array.isArray(parameters)) {
    bad('parameters', `must be a list, got ${describeValue(parameters)}`, 'write "parameters: [{name: …, string: …}]"');
  }
  return {
    name,
    env: readEnv(block.env),
    ...(Array.isArray(parameters) ? { parameters: parameters.map(readParameter) } : {}),
  };
}
