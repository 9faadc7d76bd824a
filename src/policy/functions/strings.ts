/** Kyverno's string, encoding and data functions (https://kyverno.io/docs/writing-policies/jmespath/). */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import semver from 'semver';
import { wildcardMatch } from '../wildcard.js';
import type { FunctionDefinition } from './types.js';

const STRING = 'string';

function regex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch (error) {
    throw new Error(`invalid regular expression "${pattern}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** Go's strings.Replace with n < 0 meaning all. */
function replaceCount(text: string, old: string, replacement: string, count: number): string {
  if (count < 0) return text.split(old).join(replacement);
  let result = text;
  let from = 0;
  for (let done = 0; done < count; done++) {
    const at = result.indexOf(old, from);
    if (at === -1) break;
    result = result.slice(0, at) + replacement + result.slice(at + old.length);
    from = at + replacement.length;
  }
  return result;
}

/** Go's regexp expansion uses `$1`/`${1}`; JavaScript's `$1` and `$<name>` — `${1}` needs rewriting. */
function goReplacement(replacement: string): string {
  return replacement.replace(/\$\{(\d+)\}/g, '$$$1');
}

export const stringFunctions: readonly FunctionDefinition[] = [
  { name: 'compare', args: [STRING, STRING], run: ([a, b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0) },
  { name: 'equal_fold', args: [STRING, STRING], run: ([a, b]) => String(a).toLowerCase() === String(b).toLowerCase() },
  { name: 'replace', args: [STRING, STRING, STRING, 'number'], run: ([s, o, n, c]) => replaceCount(String(s), String(o), String(n), Number(c)) },
  { name: 'replace_all', args: [STRING, STRING, STRING], run: ([s, o, n]) => String(s).split(String(o)).join(String(n)) },
  { name: 'to_upper', args: [STRING], run: ([s]) => String(s).toUpperCase() },
  { name: 'to_lower', args: [STRING], run: ([s]) => String(s).toLowerCase() },
  { name: 'trim_prefix', args: [STRING, STRING], run: ([s, p]) => (String(s).startsWith(String(p)) ? String(s).slice(String(p).length) : String(s)) },
  { name: 'truncate', args: [STRING, 'number'], run: ([s, n]) => String(s).slice(0, Math.max(0, Number(n))) },
  { name: 'regex_match', args: [STRING, 'string|number'], run: ([p, s]) => regex(String(p)).test(textOf(s)) },
  { name: 'pattern_match', args: [STRING, 'string|number'], run: ([p, s]) => wildcardMatch(String(p), textOf(s)) },
  {
    name: 'regex_replace_all',
    args: [STRING, 'string|number', 'string|number'],
    run: ([p, s, r]) => textOf(s).replace(new RegExp(regex(String(p)).source, 'gu'), goReplacement(textOf(r))),
  },
  {
    name: 'regex_replace_all_literal',
    args: [STRING, 'string|number', 'string|number'],
    run: ([p, s, r]) => textOf(s).replace(new RegExp(regex(String(p)).source, 'gu'), () => textOf(r)),
  },
  {
    name: 'label_match',
    args: ['object', 'object'],
    run: ([selector, labels]) => Object.entries(selector as Record<string, unknown>).every(([k, v]) => (labels as Record<string, unknown>)[k] === v),
  },
  { name: 'to_boolean', args: [STRING], run: ([s]) => parseBoolean(String(s)) },
  { name: 'base64_decode', args: [STRING], run: ([s]) => decodeBase64(String(s)) },
  { name: 'base64_encode', args: [STRING], run: ([s]) => Buffer.from(String(s), 'utf8').toString('base64') },
  { name: 'sha256', args: [STRING], run: ([s]) => createHash('sha256').update(String(s)).digest('hex') },
  { name: 'parse_json', args: [STRING], run: ([s]) => JSON.parse(String(s)) as unknown },
  { name: 'parse_yaml', args: [STRING], run: ([s]) => loadYaml(String(s)) ?? null },
  { name: 'path_canonicalize', args: [STRING], run: ([s]) => posix.normalize(String(s)).replace(/(.)\/$/, '$1') },
  {
    name: 'semver_compare',
    args: [STRING, STRING],
    run: ([version, range]) => {
      const parsed = semver.parse(String(version));
      if (parsed === null) throw new Error(`semver_compare: "${String(version)}" is not a semantic version`);
      return semver.satisfies(parsed, String(range).replace(/,/g, ' '));
    },
  },
  {
    name: 'object_from_lists',
    args: ['array', 'array'],
    run: ([keys, values]) => Object.fromEntries((keys as unknown[]).map((key, index) => [String(key), (values as unknown[])[index] ?? null])),
  },
  {
    name: 'lookup',
    args: ['object|array', 'string|number'],
    run: ([collection, key]) => {
      if (Array.isArray(collection)) return typeof key === 'number' ? ((collection as unknown[])[key] ?? null) : null;
      return (collection as Record<string, unknown>)[String(key)] ?? null;
    },
  },
];

function parseBoolean(text: string): boolean {
  const lowered = text.toLowerCase();
  if (['1', 't', 'true'].includes(lowered)) return true;
  if (['0', 'f', 'false'].includes(lowered)) return false;
  throw new Error(`to_boolean: "${text}" is not a boolean`);
}

function decodeBase64(text: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new Error('base64_decode: the input is not valid base64');
  return Buffer.from(text, 'base64').toString('utf8');
}
