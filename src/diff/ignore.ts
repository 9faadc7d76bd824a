/**
 * Argo CD's `ignoreDifferences`: which rules match an object (group and kind are globs, `*` matches any; name and
 * namespace are exact when set), and the fields they select — `jsonPointers` (RFC 6901), `jqPathExpressions` (real
 * jq, what `del(expr)` would delete) and `managedFieldsManagers` (the fields those managers own in the live object).
 */
import type { IgnoreDifference } from '../model/application.js';
import { formatResourceKey, resourceKey } from '../model/resource.js';
import type { KubeObject } from '../model/resource.js';
import { managedFieldSet, unionFieldSets } from './field-set.js';
import type { FieldSet } from './field-set.js';
import { jqPaths } from './jq.js';
import { getAt, parseJsonPointer } from './values.js';
import type { ValuePath } from './values.js';

export interface IgnoreOptions {
  /** Deadline for one jq expression on one object, milliseconds. @default 1000 */
  readonly jqTimeoutMs?: number;
}

/** Argo CD's glob for group and kind: `*` matches any run of characters (none included), `?` one character. */
function globMatches(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === value;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** Whether a rule applies to an object. An absent group means the core group (""), as in Argo CD. */
export function ignoreRuleMatches(rule: IgnoreDifference, object: KubeObject): boolean {
  const key = resourceKey(object);
  return (
    globMatches(rule.group ?? '', key.group) &&
    globMatches(rule.kind, key.kind) &&
    (rule.name === undefined || rule.name === '' || rule.name === key.name) &&
    (rule.namespace === undefined || rule.namespace === '' || rule.namespace === key.namespace)
  );
}

export function matchingIgnoreRules(rules: readonly IgnoreDifference[], object: KubeObject): IgnoreDifference[] {
  return rules.filter((rule) => ignoreRuleMatches(rule, object));
}

/**
 * The paths that the rules' `jsonPointers` and `jqPathExpressions` select in `object` (only those that exist).
 * A jq run-time error selects nothing (Argo CD skips the rule for that object); an invalid expression or one that
 * runs past its deadline throws a DiffError naming the expression and the object.
 */
export async function selectedPaths(rules: readonly IgnoreDifference[], object: KubeObject, options: IgnoreOptions = {}): Promise<ValuePath[]> {
  const paths: ValuePath[] = [];
  for (const rule of rules) {
    for (const pointer of rule.jsonPointers ?? []) {
      const path = parseJsonPointer(pointer);
      if (path.length > 0 && getAt(object, path) !== undefined) paths.push(path);
    }
    for (const expression of rule.jqPathExpressions ?? []) {
      const result = await jqPaths(expression, object, { what: formatResourceKey(resourceKey(object)), ...(options.jqTimeoutMs === undefined ? {} : { timeoutMs: options.jqTimeoutMs }) });
      if ('paths' in result) paths.push(...result.paths.filter((path) => path.length > 0));
    }
  }
  return paths;
}

/** The fields the rules' `managedFieldsManagers` own in the live object (any operation); undefined when none. */
export function trustedManagersFieldSet(rules: readonly IgnoreDifference[], live: KubeObject | undefined): FieldSet | undefined {
  if (live === undefined) return undefined;
  const managers = new Set(rules.flatMap((rule) => rule.managedFieldsManagers ?? []));
  let result: FieldSet | undefined;
  for (const manager of managers) {
    const set = managedFieldSet(live, { manager });
    if (set !== undefined) result = result === undefined ? set : unionFieldSets(result, set);
  }
  return result;
}
