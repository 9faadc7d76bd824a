/** Sprig's list functions (list.go): the list is an `interface{}` that must be a slice; results are new lists. */
import { GoFunctionError } from '../errors.js';
import type { GoTemplateFunction } from '../types.js';
import { deepEqual, int, isEmpty, listArg, toInt64 } from './convert.js';

function first(list: unknown): unknown {
  return listArg(list, 'find first')[0] ?? null;
}

function last(list: unknown): unknown {
  const items = listArg(list, 'find last');
  return items.length === 0 ? null : items[items.length - 1];
}

function rest(list: unknown): unknown {
  const items = listArg(list, 'find rest');
  return items.length === 0 ? null : items.slice(1);
}

function initial(list: unknown): unknown {
  const items = listArg(list, 'find initial');
  return items.length === 0 ? null : items.slice(0, -1);
}

function uniq(list: unknown): unknown[] {
  const out: unknown[] = [];
  for (const item of listArg(list, 'uniq')) if (!out.some((seen) => deepEqual(seen, item))) out.push(item);
  return out;
}

function without(list: unknown, ...omit: unknown[]): unknown[] {
  return listArg(list, 'find without').filter((item) => !omit.some((o) => deepEqual(o, item)));
}

function has(needle: unknown, haystack: unknown): boolean {
  if (haystack === undefined || haystack === null) return false;
  return listArg(haystack, 'find has').some((item) => deepEqual(item, needle));
}

function concat(...lists: unknown[]): unknown[] {
  return lists.flatMap((list) => listArg(list, 'concat type'));
}

function slice(list: unknown, ...indexes: unknown[]): unknown {
  const items = listArg(list, 'slice');
  const size = items.length;
  if (size === 0) return null;
  const start = indexes.length > 0 ? toInt64(indexes[0]) : 0;
  const end = indexes.length > 1 ? toInt64(indexes[1]) : size;
  if (start < 0 || end > size || start > end) throw new GoFunctionError(`runtime error: slice bounds out of range [${start}:${end}] with capacity ${size}`);
  return items.slice(start, end);
}

function chunk(size: unknown, list: unknown): unknown[][] {
  const n = int(size);
  const items = listArg(list, 'chunk');
  if (n <= 0) throw new GoFunctionError('runtime error: integer divide by zero');
  const out: unknown[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}

function untilStep(start: unknown, stop: unknown, step: unknown): number[] {
  const from = int(start);
  const to = int(stop);
  const by = int(step);
  const out: number[] = [];
  if (to < from) {
    if (by >= 0) return out;
    for (let i = from; i > to; i += by) out.push(i);
    return out;
  }
  if (by <= 0) return out;
  for (let i = from; i < to; i += by) out.push(i);
  return out;
}

/** GNU-seq-like: `seq 3` → "1 2 3", `seq 2 5`, `seq 0 2 10`, counting down when the end is lower. */
function seqBounds(numbers: readonly number[]): { start: number; end: number; step: number } | undefined {
  const [a = 0, b = 0, c = 0] = numbers;
  if (numbers.length === 1) return { start: 1, end: a, step: a < 1 ? -1 : 1 };
  if (numbers.length === 2) return { start: a, end: b, step: b < a ? -1 : 1 };
  if (numbers.length === 3) return { start: a, end: c, step: b };
  return undefined;
}

function seq(...params: unknown[]): string {
  const bounds = seqBounds(params.map(int));
  if (!bounds) return '';
  const { start, end, step } = bounds;
  if (step === 0 || (step > 0 && end < start) || (step < 0 && end > start)) return '';
  const out: number[] = [];
  for (let i = start; step > 0 ? i <= end : i >= end; i += step) out.push(i);
  return out.join(' ');
}

export const LIST_FUNCTIONS: Readonly<Record<string, GoTemplateFunction>> = {
  list: (...items: unknown[]) => items,
  tuple: (...items: unknown[]) => items,
  first,
  last,
  rest,
  initial,
  append: (list: unknown, item: unknown) => [...listArg(list, 'push'), item],
  push: (list: unknown, item: unknown) => [...listArg(list, 'push'), item],
  prepend: (list: unknown, item: unknown) => [item, ...listArg(list, 'prepend')],
  concat,
  reverse: (list: unknown) => [...listArg(list, 'find reverse')].reverse(),
  uniq,
  without,
  has,
  compact: (list: unknown) => listArg(list, 'compact').filter((item) => !isEmpty(item)),
  slice,
  chunk,
  until: (count: unknown) => {
    const n = int(count);
    return untilStep(0, n, n < 0 ? -1 : 1);
  },
  untilStep,
  seq,
};

/** Sprig's must* variants return an error where the plain one panics; here both report the same error. */
export const MUST_LIST_FUNCTIONS: Readonly<Record<string, GoTemplateFunction>> = Object.fromEntries(
  ['first', 'last', 'rest', 'initial', 'append', 'push', 'prepend', 'reverse', 'uniq', 'without', 'has', 'compact', 'slice', 'chunk']
    .map((name) => [`must${name.charAt(0).toUpperCase()}${name.slice(1)}`, LIST_FUNCTIONS[name] as GoTemplateFunction]),
);
