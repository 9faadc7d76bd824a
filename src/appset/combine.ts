/**
 * Matrix and merge, with Argo CD's rules. Matrix: exactly two children; the second is rendered with each parameter
 * set of the first and run again for it; each pair is combined (goTemplate: a deep merge where the first child
 * wins; fasttemplate: string maps, a key present in both with different values is an error). Merge: two or more
 * children; sets of the first are overridden key by key by the later children's sets with equal `mergeKeys` values
 * (sets not unique by their merge keys are an error); the first child's order is kept.
 */
import { LaunchpadError } from '../errors.js';
import { goString, mergeOverride } from './params.js';
import type { Params } from './params.js';

/** What combining needs to know of the caller's input; the rest is handed through to `childParams` untouched. */
export interface CombineInput {
  readonly mode: { readonly goTemplate: boolean };
}

/** Runs one child generator (for matrix: with the first child's parameter set interpolated into it). */
export type ChildParams<I extends CombineInput> = (generator: Readonly<Record<string, unknown>>, input: I, where: string, params: Readonly<Params> | undefined) => Promise<Params[]>;

function combineStrings(a: Readonly<Params>, b: Readonly<Params>, where: string): Params {
  const out: Record<string, string> = Object.fromEntries(Object.entries(a).map(([key, value]) => [key, goString(value)]));
  for (const [key, raw] of Object.entries(b)) {
    const value = goString(raw);
    const current = out[key];
    if (current !== undefined && current !== value) {
      throw new LaunchpadError(`${where}: found duplicate key ${key} with different value, a: ${current} ,b: ${value}`, { fix: 'rename the parameter in one generator, or set goTemplate: true (the first generator then wins)' });
    }
    out[key] = value;
  }
  return out;
}

export async function combineMatrix<I extends CombineInput>(children: readonly Readonly<Record<string, unknown>>[], input: I, where: string, childParams: ChildParams<I>): Promise<Params[]> {
  const [first, second] = children;
  if (children.length !== 2 || first === undefined || second === undefined) {
    throw new LaunchpadError(`${where}: found ${children.length < 2 ? 'less' : 'more'} than two generators, Matrix support only two`, { fix: 'nest a second matrix to combine more' });
  }
  const result: Params[] = [];
  for (const a of await childParams(first, input, `${where}.generators[0]`, undefined)) {
    for (const b of await childParams(second, input, `${where}.generators[1]`, a)) {
      result.push(input.mode.goTemplate ? mergeOverride(mergeOverride({}, b), a) : combineStrings(a, b, where));
    }
  }
  return result;
}

function keyOf(set: Readonly<Params>, mergeKeys: readonly string[]): string {
  // Argo CD marshals the merge keys' values to JSON (map keys sorted) to compare them.
  return JSON.stringify(Object.fromEntries([...new Set(mergeKeys)].sort().map((key) => [key, set[key] ?? null])));
}

function byMergeKey(sets: readonly Params[], mergeKeys: readonly string[], where: string): Map<string, Params> {
  const out = new Map<string, Params>();
  for (const set of sets) {
    const key = keyOf(set, mergeKeys);
    if (out.has(key)) throw new LaunchpadError(`${where}: the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was ${key}`);
    out.set(key, set);
  }
  return out;
}

export async function mergeParamSets<I extends CombineInput>(merge: { readonly generators: readonly Readonly<Record<string, unknown>>[]; readonly mergeKeys: unknown }, input: I, where: string, childParams: ChildParams<I>): Promise<Params[]> {
  const { generators: children, mergeKeys: rawKeys } = merge;
  if (children.length < 2) throw new LaunchpadError(`${where}: found less than two generators, Merge requires two or more`);
  const mergeKeys = Array.isArray(rawKeys) ? rawKeys.filter((key): key is string => typeof key === 'string') : [];
  if (mergeKeys.length === 0) throw new LaunchpadError(`${where}: no merge keys were specified, Merge requires at least one`, { fix: 'set mergeKeys to the parameters that identify a set, e.g. [server]' });
  const paramSets: Params[][] = [];
  for (const [index, child] of children.entries()) paramSets.push(await childParams(child, input, `${where}.generators[${index}]`, undefined));
  const base = byMergeKey(paramSets[0] ?? [], mergeKeys, where);
  for (const sets of paramSets.slice(1)) {
    const overrides = byMergeKey(sets, mergeKeys, where);
    for (const [key, set] of base) {
      const override = overrides.get(key);
      if (override !== undefined) base.set(key, input.mode.goTemplate ? mergeOverride(set, override) : { ...set, ...override });
    }
  }
  return [...base.values()];
}
