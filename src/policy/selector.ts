/** Kubernetes label selectors (`matchLabels`, `matchExpressions`), with Kyverno's wildcards in matchLabels. */
import { isRecord } from './scalars.js';
import { wildcardMatch } from './wildcard.js';

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const keys = Object.keys(labels).filter((candidate) => wildcardMatch(key, candidate));
    if (!keys.some((candidate) => wildcardMatch(value, labels[candidate] ?? ''))) return false;
  }
  return (selector.matchExpressions ?? []).every((expression) => expressionMatches(expression, labels));
}

type Expression = NonNullable<LabelSelector['matchExpressions']>[number];

function expressionMatches(expression: Expression, labels: Readonly<Record<string, string>>): boolean {
  const present = Object.hasOwn(labels, expression.key);
  const values = expression.values ?? [];
  switch (expression.operator) {
    case 'In':
      return present && values.includes(labels[expression.key] ?? '');
    case 'NotIn':
      return !present || !values.includes(labels[expression.key] ?? '');
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    default:
      return false;
  }
}

export function labelsOf(object: unknown): Readonly<Record<string, string>> {
  if (!isRecord(object) || !isRecord(object.metadata) || !isRecord(object.metadata.labels)) return {};
  return object.metadata.labels as Record<string, string>;
}
