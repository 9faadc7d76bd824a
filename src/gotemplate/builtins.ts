/**
 * Go's predefined template functions (text/template/funcs.go): not, len, index, slice, print, printf, println,
 * html, js, urlquery, call and the comparisons eq/ne/lt/le/gt/ge with Go's type rules. `and` and `or` are
 * evaluated by the executor because they stop at the first deciding argument.
 */
import { GoFunctionError } from './errors.js';
import { goSprintf } from './format.js';
import type { GoTemplateFunction } from './types.js';
import { formatGoValue, goTypeName, isPlainMap, isTrue } from './values.js';

const utf8 = new TextEncoder();

/** fmt.Sprint: operands formatted with %v, a space between two operands when neither is a string. */
export function goSprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatGoValue(arg);
  });
  return out;
}

/** The text of a function's arguments as Go's escapers take it: one string as is, else fmt.Sprint. */
function argsText(args: readonly unknown[]): string {
  const [first] = args;
  return args.length === 1 && typeof first === 'string' ? first : goSprint(args);
}

function length(item: unknown): number {
  if (typeof item === 'string') return utf8.encode(item).length;
  if (Array.isArray(item)) return item.length;
  if (isPlainMap(item)) return Object.keys(item).length;
  if (item === undefined || item === null) throw new GoFunctionError('len of nil pointer');
  throw new GoFunctionError(`len of type ${goTypeName(item)}`);
}

function indexOne(item: unknown, key: unknown): unknown {
  if (item === undefined || item === null) throw new GoFunctionError('index of untyped nil');
  if (Array.isArray(item) || typeof item === 'string') {
    if (typeof key !== 'number' || !Number.isInteger(key)) throw new GoFunctionError(`cannot index slice/array with type ${goTypeName(key)}`);
    const size = typeof item === 'string' ? utf8.encode(item).length : item.length;
    if (key < 0 || key >= size) throw new GoFunctionError(`index out of range: ${key}`);
    return typeof item === 'string' ? utf8.encode(item)[key] : item[key];
  }
  if (isPlainMap(item)) {
    if (typeof key !== 'string') throw new GoFunctionError(`value has type ${goTypeName(key)}; should be string`);
    return Object.hasOwn(item, key) ? item[key] : undefined;
  }
  throw new GoFunctionError(`can't index item of type ${goTypeName(item)}`);
}

function sliceOf(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new GoFunctionError('slice of untyped nil');
  if (indexes.length > 3) throw new GoFunctionError(`too many slice indexes: ${indexes.length}`);
  if (typeof item !== 'string' && !Array.isArray(item)) throw new GoFunctionError(`can't slice item of type ${goTypeName(item)}`);
  if (typeof item === 'string' && indexes.length === 3) throw new GoFunctionError('cannot 3-index slice a string');
  const size = typeof item === 'string' ? utf8.encode(item).length : item.length;
  const bounds = indexes.map((index) => {
    if (typeof index !== 'number' || !Number.isInteger(index)) throw new GoFunctionError(`cannot index slice/array with type ${goTypeName(index)}`);
    if (index < 0 || index > size) throw new GoFunctionError(`index out of range: ${index}`);
    return index;
  });
  const [start = 0, end = size] = bounds;
  if (start > end) throw new GoFunctionError(`invalid slice index: ${start} > ${end}`);
  if (typeof item === 'string') return new TextDecoder().decode(utf8.encode(item).slice(start, end));
  return item.slice(start, end);
}

type BasicKind = 'bool' | 'number' | 'string' | 'nil';

function basicKind(value: unknown): BasicKind | undefined {
  if (value === undefined || value === null) return 'nil';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'string') return 'string';
  return undefined;
}

/** Go compares an int with an int and a float64 with a float64, never one with the other. */
function sameNumberKind(left: unknown, right: unknown): boolean {
  if (typeof left !== 'number' || typeof right !== 'number') return true;
  return Number.isInteger(left) === Number.isInteger(right);
}

function equal(left: unknown, right: unknown): boolean {
  const leftKind = basicKind(left);
  const rightKind = basicKind(right);
  if (leftKind === 'nil' || rightKind === 'nil') {
    if (leftKind === 'nil' && rightKind === 'nil') return true;
    const other = leftKind === 'nil' ? right : left;
    if (Array.isArray(other) || isPlainMap(other) || typeof other === 'function') return false;
    throw new GoFunctionError('incompatible types for comparison');
  }
  if (leftKind === undefined) throw new GoFunctionError(`non-comparable type ${formatGoValue(left)}: ${goTypeName(left)}`);
  if (rightKind === undefined) throw new GoFunctionError(`non-comparable type ${formatGoValue(right)}: ${goTypeName(right)}`);
  if (leftKind !== rightKind || !sameNumberKind(left, right)) throw new GoFunctionError('incompatible types for comparison');
  // `==`: a number and a bigint compare by value.
  return left == right;
}

function eq(first: unknown, ...others: unknown[]): boolean {
  if (others.length === 0) throw new GoFunctionError('missing argument for comparison');
  return others.some((other) => equal(first, other));
}

function less(left: unknown, right: unknown): boolean {
  const leftKind = basicKind(left);
  const rightKind = basicKind(right);
  if (leftKind !== 'number' && leftKind !== 'string') throw new GoFunctionError('invalid type for comparison');
  if (leftKind !== rightKind || !sameNumberKind(left, right)) throw new GoFunctionError('incompatible types for comparison');
  return (left as number | string) < (right as number | string);
}

function htmlEscape(...args: unknown[]): string {
  return argsText(args).replace(/[\0"'&<>]/g, (ch) => ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch] ?? ch);
}

const JS_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' };

function jsEscape(...args: unknown[]): string {
  let out = '';
  for (const ch of argsText(args)) {
    const code = ch.codePointAt(0) ?? 0;
    const known = JS_ESCAPES[ch];
    if (known !== undefined) out += known;
    else if (code < 0x20) out += `\\u00${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (code >= 0x80 && !/^[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]$/u.test(ch)) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** url.QueryEscape: space as `+`, everything but unreserved characters percent-encoded. */
export function queryEscape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`).replaceAll('%20', '+');
}

function call(fn: unknown, ...args: unknown[]): unknown {
  if (fn === undefined || fn === null) throw new GoFunctionError('call of nil');
  if (typeof fn !== 'function') throw new GoFunctionError(`non-function of type ${goTypeName(fn)}`);
  return (fn as GoTemplateFunction)(...args);
}

export const BUILTIN_FUNCTIONS: Readonly<Record<string, GoTemplateFunction>> = {
  // `and`/`or` are here so the parser knows them; the executor short-circuits them itself.
  and: (...args: unknown[]) => args.find((arg) => !isTrue(arg)) ?? args.at(-1),
  or: (...args: unknown[]) => args.find((arg) => isTrue(arg)) ?? args.at(-1),
  not: (value: unknown) => !isTrue(value),
  len: length,
  index: (item: unknown, ...keys: unknown[]) => keys.reduce<unknown>((current, key) => indexOne(current, key), item),
  slice: sliceOf,
  print: (...args: unknown[]) => goSprint(args),
  println: (...args: unknown[]) => `${args.map(formatGoValue).join(' ')}\n`,
  printf: (format: unknown, ...args: unknown[]) => {
    if (typeof format !== 'string') throw new GoFunctionError(`wrong type for value; expected string; got ${goTypeName(format)}`, { isArgumentError: true });
    return goSprintf(format, args);
  },
  html: htmlEscape,
  js: jsEscape,
  urlquery: (...args: unknown[]) => queryEscape(argsText(args)),
  call,
  eq,
  ne: (left: unknown, right: unknown) => !equal(left, right),
  lt: less,
  le: (left: unknown, right: unknown) => less(left, right) || equal(left, right),
  gt: (left: unknown, right: unknown) => !less(left, right) && !equal(left, right),
  ge: (left: unknown, right: unknown) => !less(left, right),
};
