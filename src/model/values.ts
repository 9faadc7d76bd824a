/** Small helpers for looking at untyped values (parsed YAML) and describing them in messages. */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `a list`, `the number 3`, `the string "yes"`: how a value reads in "must be X, got Y". */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  return `a ${typeof value}`;
}

/** A shallow copy of `value` without the given keys. */
export function without<T extends object, K extends keyof T & string>(value: T, keys: readonly K[]): Omit<T, K> {
  const drop: readonly string[] = keys;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !drop.includes(key))) as Omit<T, K>;
}
