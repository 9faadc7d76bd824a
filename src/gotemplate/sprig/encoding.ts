/** Sprig's JSON, base64/base32, hashes, regular expressions and paths. */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import { GoFunctionError } from '../errors.js';
import type { GoTemplateFunction } from '../types.js';
import { isPlainMap } from '../values.js';
import { compareBytes } from './strings.js';
import { int, str } from './convert.js';
import { goRegex, goReplaceTemplate } from './regex.js';

/** JSON as Go's encoding/json writes it: keys sorted, times in RFC 3339, nil as null. */
function toGoJsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(value)) return value.map(toGoJsonValue);
  if (isPlainMap(value)) return Object.fromEntries(Object.keys(value).sort(compareBytes).map((key) => [key, toGoJsonValue(value[key])]));
  if (typeof value === 'function') throw new GoFunctionError('json: unsupported type: func()');
  return value;
}

function goJson(value: unknown, indent: string, escapeHtml: boolean): string {
  const text = JSON.stringify(toGoJsonValue(value), null, indent);
  const escaped = text.replace(/[\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16)}`);
  return escapeHtml ? escaped.replace(/[<>&]/g, (ch) => `\\u00${ch.charCodeAt(0).toString(16)}`) : escaped;
}

function fromJson(text: unknown): unknown {
  try {
    return JSON.parse(str(text)) as unknown;
  } catch {
    return null;
  }
}

function mustFromJson(text: unknown): unknown {
  try {
    return JSON.parse(str(text)) as unknown;
  } catch (error) {
    throw new GoFunctionError((error as Error).message);
  }
}

function base64Decode(text: unknown): string {
  const input = str(text);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input) || input.length % 4 !== 0) {
    const bad = input.search(/[^A-Za-z0-9+/=]/);
    return `illegal base64 data at input byte ${bad === -1 ? Math.floor(input.length / 4) * 4 : bad}`;
  }
  return Buffer.from(input, 'base64').toString('utf8');
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Encode(text: unknown): string {
  const bytes = Buffer.from(str(text), 'utf8');
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += BASE32.charAt(Number.parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2));
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}

function base32Decode(text: unknown): string {
  const input = str(text).replace(/=+$/, '');
  let bits = '';
  for (const [i, ch] of Array.from(input).entries()) {
    const index = BASE32.indexOf(ch);
    if (index === -1) return `illegal base32 data at input byte ${i}`;
    bits += index.toString(2).padStart(5, '0');
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(Number.parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes).toString('utf8');
}

function adler32(text: unknown): string {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(str(text), 'utf8')) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

const hash = (algorithm: string) => (text: unknown): string => createHash(algorithm).update(str(text), 'utf8').digest('hex');

function randomString(alphabet: string) {
  return (count: unknown): string => Array.from({ length: Math.max(0, int(count)) }, () => alphabet.charAt(randomInt(alphabet.length))).join('');
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ASCII = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join('');

function regexFindAll(regex: unknown, text: unknown, limit: unknown): string[] {
  const n = int(limit);
  const matches = [...str(text).matchAll(goRegex(str(regex), 'g'))].map((match) => match[0]);
  return n < 0 ? matches : matches.slice(0, n);
}

function regexSplit(regex: unknown, text: unknown, limit: unknown): string[] {
  const n = int(limit);
  if (n === 0) return [];
  const s = str(text);
  const out: string[] = [];
  let last = 0;
  for (const match of s.matchAll(goRegex(str(regex), 'g'))) {
    if (n > 0 && out.length === n - 1) break;
    if (match[0] === '' && (match.index === 0 || match.index === s.length)) continue;
    out.push(s.slice(last, match.index));
    last = match.index + match[0].length;
  }
  out.push(s.slice(last));
  return out;
}

function regexMatch(regex: unknown, text: unknown): boolean {
  return goRegex(str(regex)).test(str(text));
}

const regexFunctions: Readonly<Record<string, GoTemplateFunction>> = {
  // Sprig's regexMatch answers false for a bad pattern (mustRegexMatch reports it); the others fail.
  regexMatch: (regex: unknown, text: unknown) => {
    try {
      return regexMatch(regex, text);
    } catch (error) {
      if (error instanceof GoFunctionError && !error.isArgumentError) return false;
      throw error;
    }
  },
  regexFind: (regex: unknown, text: unknown) => goRegex(str(regex)).exec(str(text))?.[0] ?? '',
  regexFindAll,
  regexReplaceAll: (regex: unknown, text: unknown, replacement: unknown) => str(text).replace(goRegex(str(regex), 'g'), goReplaceTemplate(str(replacement))),
  regexReplaceAllLiteral: (regex: unknown, text: unknown, replacement: unknown) => str(text).replace(goRegex(str(regex), 'g'), () => str(replacement)),
  regexSplit,
  regexQuoteMeta: (text: unknown) => str(text).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'),
};

export const ENCODING_FUNCTIONS: Readonly<Record<string, GoTemplateFunction>> = {
  toJson: (value: unknown) => goJson(value, '', true),
  mustToJson: (value: unknown) => goJson(value, '', true),
  toPrettyJson: (value: unknown) => goJson(value, '  ', true),
  mustToPrettyJson: (value: unknown) => goJson(value, '  ', true),
  toRawJson: (value: unknown) => goJson(value, '', false),
  mustToRawJson: (value: unknown) => goJson(value, '', false),
  fromJson,
  mustFromJson,
  b64enc: (text: unknown) => Buffer.from(str(text), 'utf8').toString('base64'),
  b64dec: base64Decode,
  b32enc: base32Encode,
  b32dec: base32Decode,
  sha1sum: hash('sha1'),
  sha256sum: hash('sha256'),
  sha512sum: hash('sha512'),
  adler32sum: adler32,
  uuidv4: () => randomUUID(),
  randAlphaNum: randomString(LETTERS + DIGITS),
  randAlpha: randomString(LETTERS),
  randNumeric: randomString(DIGITS),
  randAscii: randomString(ASCII),
  ...regexFunctions,
  mustRegexMatch: regexMatch,
  ...Object.fromEntries(['regexFind', 'regexFindAll', 'regexReplaceAll', 'regexReplaceAllLiteral', 'regexSplit']
    .map((name) => [`must${name.charAt(0).toUpperCase()}${name.slice(1)}`, regexFunctions[name] as GoTemplateFunction])),
  base: (path: unknown) => goPathBase(str(path)),
  dir: (path: unknown) => goPathDir(str(path)),
  clean: (path: unknown) => goPathClean(str(path)),
  ext: (path: unknown) => {
    const base = str(path).split('/').pop() ?? '';
    const dot = base.lastIndexOf('.');
    return dot === -1 ? '' : base.slice(dot);
  },
  isAbs: (path: unknown) => str(path).startsWith('/'),
};

/** Go's path.Clean: "" is ".", no trailing slash, `..` resolved lexically. */
function goPathClean(path: string): string {
  if (path === '') return '.';
  const cleaned = posix.normalize(path);
  return cleaned.length > 1 ? cleaned.replace(/\/$/, '') : cleaned;
}

function goPathBase(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function goPathDir(path: string): string {
  const slash = path.lastIndexOf('/');
  return goPathClean(path.slice(0, slash + 1));
}
