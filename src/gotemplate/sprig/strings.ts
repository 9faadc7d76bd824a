/** Sprig's string functions (strings.go, functions.go), with Sprig's argument order: the subject comes last. */
import { goQuote } from '../format.js';
import type { GoTemplateFunction } from '../types.js';
import { int, str, strslice, strval } from './convert.js';

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Go slices strings by byte; these keep that for substr and trunc on non-ASCII text. */
function byteSlice(text: string, start: number, end?: number): string {
  return utf8Decoder.decode(utf8.encode(text).slice(start, end));
}

function byteLength(text: string): number {
  return utf8.encode(text).length;
}

const GO_SPACE = /^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+|[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$/g;

function trimSpace(text: string): string {
  return text.replace(GO_SPACE, '');
}

function trimCutset(text: string, cutset: string): string {
  const chars = new Set(cutset);
  const runes = Array.from(text);
  let start = 0;
  let end = runes.length;
  while (start < end && chars.has(runes[start] ?? '')) start++;
  while (end > start && chars.has(runes[end - 1] ?? '')) end--;
  return runes.slice(start, end).join('');
}

/** strings.Title's separators: any ASCII but letters, digits and `_`; Unicode spaces. */
function isWordRune(ch: string): boolean {
  return /^[\p{L}\p{N}_]$/u.test(ch);
}

/** strings.Title: upper-case the first letter of each word (a word starts after a non-letter/digit/underscore). */
function title(text: string): string {
  let previous = ' ';
  let out = '';
  for (const ch of text) {
    out += isWordRune(previous) ? ch : ch.toUpperCase();
    previous = ch;
  }
  return out;
}

function untitle(text: string): string {
  let previous = ' ';
  let out = '';
  for (const ch of text) {
    out += isWordRune(previous) ? ch : ch.toLowerCase();
    previous = ch;
  }
  return out;
}

function substr(start: unknown, end: unknown, text: unknown): string {
  const s = str(text);
  const from = int(start);
  const to = int(end);
  if (from < 0) return byteSlice(s, 0, to);
  if (to < 0 || to > byteLength(s)) return byteSlice(s, from);
  return byteSlice(s, from, to);
}

function trunc(count: unknown, text: unknown): string {
  const c = int(count);
  const s = str(text);
  const size = byteLength(s);
  if (c < 0 && size + c > 0) return byteSlice(s, size + c);
  if (c >= 0 && size > c) return byteSlice(s, 0, c);
  return s;
}

function abbrev(width: unknown, text: unknown): string {
  const w = int(width);
  const s = str(text);
  if (w < 4) return s;
  return Array.from(s).length > w ? `${Array.from(s).slice(0, w - 3).join('')}...` : s;
}

function indent(spaces: unknown, text: unknown): string {
  const pad = ' '.repeat(Math.max(0, int(spaces)));
  return pad + str(text).replaceAll('\n', `\n${pad}`);
}

function initials(text: unknown): string {
  return str(text).split(/\s+/).filter((word) => word !== '').map((word) => Array.from(word)[0] ?? '').join('');
}

function wrapWith(width: unknown, separator: unknown, text: unknown): string {
  const w = Math.max(1, int(width));
  const sep = str(separator);
  const lines: string[] = [];
  for (const paragraph of str(text).split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ').filter((part) => part !== '')) {
      if (line !== '' && line.length + 1 + word.length > w) {
        lines.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(line);
  }
  return lines.join(sep);
}

function plural(one: unknown, many: unknown, count: unknown): string {
  return int(count) === 1 ? str(one) : str(many);
}

function split(separator: unknown, text: unknown, limit?: number): Record<string, string> {
  const parts = goSplit(str(text), str(separator), limit);
  return Object.fromEntries(parts.map((part, i) => [`_${i}`, part]));
}

/** strings.Split / SplitN: an empty separator splits into characters; n < 0 means all parts. */
function goSplit(text: string, separator: string, limit = -1): string[] {
  if (limit === 0) return [];
  const parts = separator === '' ? Array.from(text) : text.split(separator);
  if (limit < 0 || parts.length <= limit) return parts;
  return [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(separator)];
}

function quoteAll(...values: unknown[]): string {
  return values.filter((value) => value !== undefined && value !== null).map((value) => goQuote(strval(value))).join(' ');
}

function squoteAll(...values: unknown[]): string {
  return values.filter((value) => value !== undefined && value !== null).map((value) => `'${strval(value)}'`).join(' ');
}

function cat(...values: unknown[]): string {
  return values.filter((value) => value !== undefined && value !== null).map(strval).join(' ');
}

function swapcase(text: unknown): string {
  return Array.from(str(text)).map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('');
}

export const STRING_FUNCTIONS: Readonly<Record<string, GoTemplateFunction>> = {
  upper: (s: unknown) => str(s).toUpperCase(),
  lower: (s: unknown) => str(s).toLowerCase(),
  title: (s: unknown) => title(str(s)),
  untitle: (s: unknown) => untitle(str(s)),
  swapcase,
  substr,
  repeat: (count: unknown, s: unknown) => str(s).repeat(Math.max(0, int(count))),
  trim: (s: unknown) => trimSpace(str(s)),
  trimAll: (cutset: unknown, s: unknown) => trimCutset(str(s), str(cutset)),
  trimPrefix: (prefix: unknown, s: unknown) => {
    const text = str(s);
    const p = str(prefix);
    return p !== '' && text.startsWith(p) ? text.slice(p.length) : text;
  },
  trimSuffix: (suffix: unknown, s: unknown) => {
    const text = str(s);
    const p = str(suffix);
    return p !== '' && text.endsWith(p) ? text.slice(0, text.length - p.length) : text;
  },
  nospace: (s: unknown) => str(s).replace(/\s+/gu, ''),
  trunc,
  abbrev,
  abbrevboth: (left: unknown, right: unknown, s: unknown) => {
    const text = str(s);
    const l = int(left);
    const r = int(right);
    if (r < 4 || (l > 0 && r < 7)) return text;
    const runes = Array.from(text);
    const start = l > 4 ? Math.min(l, runes.length) : 0;
    const head = start > 0 ? `...${runes.slice(start).join('')}` : text;
    return abbrev(r, head);
  },
  initials,
  wrap: (width: unknown, s: unknown) => wrapWith(width, '\n', s),
  wrapWith,
  contains: (sub: unknown, s: unknown) => str(s).includes(str(sub)),
  hasPrefix: (prefix: unknown, s: unknown) => str(s).startsWith(str(prefix)),
  hasSuffix: (suffix: unknown, s: unknown) => str(s).endsWith(str(suffix)),
  quote: quoteAll,
  squote: squoteAll,
  cat,
  indent,
  nindent: (spaces: unknown, s: unknown) => `\n${indent(spaces, s)}`,
  replace: (old: unknown, replacement: unknown, s: unknown) => {
    const from = str(old);
    const text = str(s);
    const to = str(replacement);
    return from === '' ? Array.from(text).map((ch) => to + ch).join('') + to : text.split(from).join(to);
  },
  plural,
  toString: strval,
  split: (sep: unknown, s: unknown) => split(sep, s),
  splitn: (sep: unknown, n: unknown, s: unknown) => split(sep, s, int(n)),
  splitList: (sep: unknown, s: unknown) => goSplit(str(s), str(sep)),
  toStrings: strslice,
  join: (sep: unknown, list: unknown) => strslice(list).join(str(sep)),
  sortAlpha: (list: unknown) => (Array.isArray(list) ? strslice(list).sort(compareBytes) : [strval(list)]),
};

/** Go sorts strings by bytes (UTF-8), which for BMP text is code-unit order. */
export function compareBytes(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
