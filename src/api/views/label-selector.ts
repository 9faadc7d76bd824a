/**
 * Kubernetes label selectors in their text form, as `kubectl -l` takes them: `k=v`, `k==v`, `k!=v`, `k`, `!k`,
 * `k in (a,b)`, `k notin (a,b)`, joined by commas (all must hold).
 */
import { LaunchpadError } from '../../errors.js';

type Requirement = (labels: Readonly<Record<string, string>>) => boolean;

/** Splits on commas outside parentheses. */
function terms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

function requirement(term: string): Requirement {
  const set = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set?.[1] !== undefined && set[3] !== undefined) {
    const key = set[1];
    const values = set[3].split(',').map((value) => value.trim());
    return set[2] === 'in' ? (labels) => values.includes(labels[key] ?? '\0') : (labels) => !values.includes(labels[key] ?? '\0');
  }
  const compare = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(term);
  if (compare?.[1] !== undefined && compare[3] !== undefined) {
    const [, key, op, value] = compare;
    return op === '!=' ? (labels) => labels[key] !== value : (labels) => labels[key] === value;
  }
  const absent = /^!([\w./-]+)$/.exec(term);
  if (absent?.[1] !== undefined) {
    const key = absent[1];
    return (labels) => !Object.hasOwn(labels, key);
  }
  if (/^[\w./-]+$/.test(term)) return (labels) => Object.hasOwn(labels, term);
  throw new LaunchpadError(`label selector term "${term}" is not understood`, { fix: 'use key=value, key!=value, key, !key, key in (a,b) or key notin (a,b), separated by commas' });
}

/** A predicate over labels; throws a LaunchpadError naming the bad term. */
export function parseLabelSelector(text: string): Requirement {
  const requirements = terms(text).map(requirement);
  return (labels) => requirements.every((check) => check(labels));
}
