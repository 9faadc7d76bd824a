/**
 * Label selectors (`matchLabels`, `matchExpressions` with In, NotIn, Exists, DoesNotExist) evaluated against a set
 * of labels: a generator's `selector` against its flattened parameters, the clusters generator's against cluster
 * Secrets' labels. As in Argo CD, values are not checked as Kubernetes label values (parameters are any text).
 */
import { LaunchpadError } from '../errors.js';
import { isPlainObject } from '../model/values.js';

export interface MatchExpression {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly MatchExpression[];
}

/** Reads a selector from parsed YAML; `where` names it in errors (`spec.generators[0].selector`). */
export function readSelector(value: unknown, where: string): LabelSelector | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw new LaunchpadError(`${where} must be a label selector (matchLabels, matchExpressions)`);
  const labels = value.matchLabels;
  if (labels !== undefined && labels !== null && !(isPlainObject(labels) && Object.values(labels).every((v) => typeof v === 'string'))) {
    throw new LaunchpadError(`${where}.matchLabels must map label names to strings`);
  }
  const expressions = value.matchExpressions ?? [];
  if (!Array.isArray(expressions)) throw new LaunchpadError(`${where}.matchExpressions must be a list`);
  const parsed = expressions.map((expression: unknown, index) => {
    const ok = isPlainObject(expression) && typeof expression.key === 'string' && typeof expression.operator === 'string'
      && (expression.values === undefined || expression.values === null || (Array.isArray(expression.values) && expression.values.every((v) => typeof v === 'string')));
    if (!ok) throw new LaunchpadError(`${where}.matchExpressions[${index}] needs a key, an operator and a list of string values`);
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(expression.operator as string)) {
      throw new LaunchpadError(`${where}.matchExpressions[${index}]: ${JSON.stringify(expression.operator)} is not a valid selector operator`, { fix: 'use In, NotIn, Exists or DoesNotExist' });
    }
    return expression as unknown as MatchExpression;
  });
  return { ...(isPlainObject(labels) ? { matchLabels: labels as Record<string, string> } : {}), matchExpressions: parsed };
}

function matchesExpression(labels: Readonly<Record<string, string>>, expression: MatchExpression): boolean {
  const has = Object.hasOwn(labels, expression.key);
  const values = expression.values ?? [];
  switch (expression.operator) {
    case 'In': return has && values.includes(labels[expression.key] ?? '');
    case 'NotIn': return !has || !values.includes(labels[expression.key] ?? '');
    case 'Exists': return has;
    default: return !has;
  }
}

/** True when every requirement holds; an empty selector matches everything. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  return (selector.matchExpressions ?? []).every((expression) => matchesExpression(labels, expression));
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** The selector as a Kubernetes `labelSelector` query string (for list calls). */
export function formatSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const expression of selector.matchExpressions ?? []) {
    const values = (expression.values ?? []).join(',');
    if (expression.operator === 'In') parts.push(`${expression.key} in (${values})`);
    else if (expression.operator === 'NotIn') parts.push(`${expression.key} notin (${values})`);
    else if (expression.operator === 'Exists') parts.push(expression.key);
    else parts.push(`!${expression.key}`);
  }
  return parts.join(',');
}
