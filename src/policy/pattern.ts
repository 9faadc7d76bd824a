/**
 * A whole validate pattern against an object, element by element, with Kyverno's anchor semantics
 * (pkg/engine/validate): anchors are evaluated first, in key order; a conditional or global anchor that does not hold
 * makes the pattern *skip* (the rule does not apply), a negation anchor that finds its key makes it *fail*, and a
 * plain key that does not match fails with the path where it stopped (`/spec/containers/0/image/`).
 */
import { parseAnchor } from './anchors.js';
import type { Anchor } from './anchors.js';
import { isRecord } from './scalars.js';
import { matchValue } from './value-pattern.js';
import { hasWildcard, wildcardMatch } from './wildcard.js';

/** Why a pattern did not pass. `skip` is true when a conditional or global anchor failed. */
export interface PatternMismatch {
  readonly skip: boolean;
  /** Set when the failure came from a conditional/global anchor at the level that reported it. */
  readonly anchorAtLevel: boolean;
  readonly path: string;
  readonly message: string;
}

/** Undefined when the object satisfies the pattern. */
export function matchPattern(resource: unknown, pattern: unknown): PatternMismatch | undefined {
  return matchElement(resource, pattern, '/');
}

function fail(path: string, message: string): PatternMismatch {
  return { skip: false, anchorAtLevel: false, path, message };
}

function matchElement(resource: unknown, pattern: unknown, path: string): PatternMismatch | undefined {
  if (isRecord(pattern)) {
    if (!isRecord(resource)) return fail(path, `expected a map at ${path}`);
    return matchMap(resource, expandMetadataWildcards(pattern, resource), path);
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(resource)) return fail(path, `expected a list at ${path}`);
    return matchArray(resource, pattern, path);
  }
  if (Array.isArray(resource)) {
    // Values are never quoted: they may be Secret data.
    const bad = (resource as unknown[]).findIndex((item) => !matchValue(item, pattern));
    return bad === -1 ? undefined : fail(path, `item ${bad} does not match ${JSON.stringify(pattern)} at ${path}`);
  }
  return matchValue(resource, pattern) ? undefined : fail(path, `the value at ${path} does not match ${JSON.stringify(pattern)}`);
}

function matchMap(resource: Record<string, unknown>, pattern: Record<string, unknown>, path: string): PatternMismatch | undefined {
  const anchored = Object.keys(pattern).filter((key) => parseAnchor(key) !== undefined).sort();
  const plain = Object.keys(pattern).filter((key) => parseAnchor(key) === undefined);
  const skips: PatternMismatch[] = [];
  let applied = 0;
  for (const key of anchored) {
    const anchor = parseAnchor(key);
    if (anchor === undefined) continue;
    const mismatch = matchAnchor(anchor, resource, pattern[key], path);
    if (mismatch === undefined) {
      applied++;
      continue;
    }
    if (mismatch.skip) {
      skips.push(mismatch);
      continue;
    }
    // A failing anchor beside a conditional that did not hold is ignored: the condition already excused the map.
    if (!skips.some((skip) => skip.anchorAtLevel)) return mismatch;
  }
  const firstSkip = skips[0];
  if (firstSkip !== undefined && (applied === 0 || skips.some((skip) => skip.anchorAtLevel))) {
    return { skip: true, anchorAtLevel: false, path, message: firstSkip.message };
  }
  // Nested anchors first: a sibling map holding an anchor decides before plain values are compared.
  const ordered = [...plain.filter((key) => containsAnchor(pattern[key])), ...plain.filter((key) => !containsAnchor(pattern[key]))];
  for (const key of ordered) {
    const mismatch = matchPlainKey(resource, key, pattern[key], path);
    if (mismatch !== undefined) return mismatch;
  }
  return undefined;
}

function containsAnchor(pattern: unknown): boolean {
  return isRecord(pattern) && Object.keys(pattern).some((key) => parseAnchor(key) !== undefined);
}

function matchPlainKey(resource: Record<string, unknown>, key: string, pattern: unknown, path: string): PatternMismatch | undefined {
  const value = resource[key];
  if (pattern === '*') return value === undefined || value === null ? fail(path, `${path}${key} not found`) : undefined;
  return matchElement(value, pattern, `${path}${key}/`);
}

function matchAnchor(anchor: Anchor, resource: Record<string, unknown>, pattern: unknown, path: string): PatternMismatch | undefined {
  const present = Object.hasOwn(resource, anchor.key);
  const value = resource[anchor.key];
  const here = `${path}${anchor.key}/`;
  switch (anchor.type) {
    case 'negation':
      return present ? fail(here, `${here} is not allowed`) : undefined;
    case 'equality':
      return present ? matchElement(value, pattern, here) : undefined;
    case 'condition': {
      if (!present) return { skip: true, anchorAtLevel: true, path: here, message: `conditional anchor key ${anchor.key} does not exist in the resource` };
      const mismatch = matchElement(value, pattern, here);
      return mismatch === undefined ? undefined : { ...mismatch, skip: true, anchorAtLevel: true };
    }
    case 'global': {
      if (!present) return undefined;
      const mismatch = matchElement(value, pattern, here);
      return mismatch === undefined ? undefined : { ...mismatch, skip: true, anchorAtLevel: true };
    }
    case 'existence':
      return present ? matchExistence(value, pattern, here) : undefined;
    case 'addIfNotPresent':
      return fail(here, `the add-if-not-present anchor +(${anchor.key}) is only allowed in mutate patterns`);
  }
}

function matchExistence(value: unknown, pattern: unknown, path: string): PatternMismatch | undefined {
  if (!Array.isArray(value)) return fail(path, `the existence anchor ^() needs a list at ${path}`);
  if (!Array.isArray(pattern)) return fail(path, `the existence anchor ^() needs a list pattern at ${path}`);
  for (const item of pattern) {
    if (!isRecord(item)) return fail(path, `the existence anchor ^() needs maps in its list at ${path}`);
    const found = value.some((element, index) => matchElement(element, item, `${path}${index}/`) === undefined);
    if (!found) return fail(path, `existence anchor validation failed at path ${path}`);
  }
  return undefined;
}

function matchArray(resource: unknown[], pattern: unknown[], path: string): PatternMismatch | undefined {
  const first = pattern[0];
  if (first === undefined) return fail(path, `empty list pattern at ${path}`);
  if (isRecord(first)) return matchArrayOfMaps(resource, first, path);
  if (!Array.isArray(first)) return matchElement(resource, first, path);
  if (resource.length < pattern.length) return fail(path, `expected at least ${pattern.length} items at ${path}`);
  const skips: PatternMismatch[] = [];
  for (const [index, item] of pattern.entries()) {
    const mismatch = matchElement(resource[index], item, `${path}${index}/`);
    if (mismatch?.skip === true) skips.push(mismatch);
    else if (mismatch !== undefined) return mismatch;
  }
  return skips.length === pattern.length ? { skip: true, anchorAtLevel: false, path, message: skips[0]?.message ?? '' } : undefined;
}

function matchArrayOfMaps(resource: unknown[], pattern: Record<string, unknown>, path: string): PatternMismatch | undefined {
  const skips: PatternMismatch[] = [];
  for (const [index, element] of resource.entries()) {
    const mismatch = matchElement(element, pattern, `${path}${index}/`);
    if (mismatch?.skip === true) skips.push(mismatch);
    else if (mismatch !== undefined) return mismatch;
  }
  return skips.length > 0 && skips.length === resource.length ? { skip: true, anchorAtLevel: false, path, message: skips[0]?.message ?? '' } : undefined;
}

/**
 * Kyverno lets label and annotation keys in a pattern's metadata carry wildcards: each such key is replaced by the
 * object's first key it matches (or by a key that cannot exist, so the pattern fails where it should).
 */
function expandMetadataWildcards(pattern: Record<string, unknown>, resource: Record<string, unknown>): Record<string, unknown> {
  const metadataKey = Object.keys(pattern).find((key) => (parseAnchor(key)?.key ?? key) === 'metadata');
  const patternMetadata = metadataKey === undefined ? undefined : pattern[metadataKey];
  if (metadataKey === undefined || !isRecord(patternMetadata) || !isRecord(resource.metadata)) return pattern;
  const resourceMetadata = resource.metadata;
  let changed = false;
  const metadata: Record<string, unknown> = { ...patternMetadata };
  for (const tag of Object.keys(patternMetadata)) {
    const name = parseAnchor(tag)?.key ?? tag;
    const tagPattern = patternMetadata[tag];
    if ((name !== 'labels' && name !== 'annotations') || !isRecord(tagPattern)) continue;
    if (!Object.keys(tagPattern).some((key) => hasWildcard(parseAnchor(key)?.key ?? key))) continue;
    const actual = isRecord(resourceMetadata[name]) ? resourceMetadata[name] : {};
    metadata[tag] = Object.fromEntries(Object.entries(tagPattern).map(([key, value]) => [expandKey(key, actual), value]));
    changed = true;
  }
  return changed ? { ...pattern, [metadataKey]: metadata } : pattern;
}

function expandKey(key: string, actual: Record<string, unknown>): string {
  const anchor = parseAnchor(key);
  const bare = anchor?.key ?? key;
  if (!hasWildcard(bare)) return key;
  const found = Object.keys(actual).find((candidate) => wildcardMatch(bare, candidate)) ?? bare.replace(/[*?]/g, '0');
  return anchor === undefined ? found : key.replace(`(${bare})`, `(${found})`);
}
