/**
 * Typed readers for untyped (parsed YAML) values. A reader returns the value when it has the right type and
 * otherwise records an error and returns undefined, so validation goes on and reports everything at once.
 * Object shapes are tables of readers; keys not in the table are warned about, never fatal, so manifests written
 * for a newer Argo CD still load.
 */
import { stringify } from 'yaml';
import type { FieldPath } from './field-path.js';
import type { Findings } from './findings.js';
import { describeValue, isPlainObject } from './values.js';

export type Reader<T> = (value: unknown, at: FieldPath, findings: Findings) => T | undefined;

/** One reader per field of T. */
export type Shape<T> = { readonly [K in keyof T]-?: Reader<NonNullable<T[K]>> };

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

function quoteFix(value: unknown): string {
  if (typeof value === 'boolean' || Number.isInteger(value)) return `quote it: "${String(value)}"`;
  // 1.10 unquoted reads as the number 1.1, so do not suggest the number back.
  if (typeof value === 'number') return 'quote it exactly as you mean it, e.g. "1.10"';
  return 'write a single text value';
}

export const readString: Reader<string> = (value, at, findings) => {
  if (typeof value === 'string') return value;
  findings.error(at, `must be a string, got ${describeValue(value)}`, quoteFix(value));
  return undefined;
};

export const readBoolean: Reader<boolean> = (value, at, findings) => {
  if (typeof value === 'boolean') return value;
  // YAML 1.1 spellings are strings in YAML 1.2 (and rejected by the Kubernetes API for boolean fields).
  const truthy = typeof value === 'string' && /^(?:y|yes|on|true)$/i.test(value);
  findings.error(at, `must be a boolean, got ${describeValue(value)}`, `write ${truthy ? 'true' : 'true or false'} without quotes`);
  return undefined;
};

export const readInteger: Reader<number> = (value, at, findings) => {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  const numeric = typeof value === 'string' && /^[+-]?\d+$/.test(value.trim());
  findings.error(at, `must be an integer, got ${describeValue(value)}`, numeric ? 'remove the quotes' : 'write a whole number such as 5');
  return undefined;
};

export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;

/** A 32-bit integer, as Argo CD's Go types read retry limits and factors; out-of-range numbers are refused. */
export const readInt32: Reader<number> = (value, at, findings) => {
  const number = readInteger(value, at, findings);
  if (number === undefined) return undefined;
  if (number >= INT32_MIN && number <= INT32_MAX) return number;
  findings.error(at, `${String(value)} is out of range (a 32-bit integer: ${INT32_MIN} to ${INT32_MAX})`, 'use a smaller number');
  return undefined;
};

/** Any mapping, kept as it is (e.g. helm valuesObject, plugin settings). */
export const readMapping: Reader<Readonly<Record<string, unknown>>> = (value, at, findings) => {
  if (isPlainObject(value)) return value;
  findings.error(at, `must be a mapping (key: value pairs), got ${describeValue(value)}`, 'indent key: value pairs under this field');
  return undefined;
};

export function readList<T>(item: Reader<T>): Reader<readonly T[]> {
  const each = readEach(item);
  return (value, at, findings) => each(value, at, findings)?.filter((entry) => entry !== undefined);
}

export const readStringList = readList(readString);

/** A mapping whose values all have one type, such as labels (the Kubernetes API rejects non-string values there). */
export function readMapOf<T>(item: Reader<T>): Reader<Readonly<Record<string, T>>> {
  return (value, at, findings) => {
    const mapping = readMapping(value, at, findings);
    if (mapping === undefined) return undefined;
    const out: Record<string, T> = {};
    for (const [key, entry] of Object.entries(mapping)) {
      const read = item(entry, [...at, key], findings);
      if (read !== undefined) out[key] = read;
    }
    return out;
  };
}

/**
 * Labels, annotations and other string maps. An empty value (`key:` with nothing after it) is the empty string,
 * as Kubernetes reads it: people write notification subscriptions that way.
 */
export const readStringMap = readMapOf<string>((value, at, findings) => (value === null ? '' : readString(value, at, findings)));

/**
 * Like {@link readList} but keeps a hole where an entry is invalid, so later checks still name the right index
 * (`spec.sources[2]` stays the third source even when the first one is broken).
 */
export function readEach<T>(item: Reader<T>): Reader<readonly (T | undefined)[]> {
  return (value, at, findings) => {
    if (!Array.isArray(value)) {
      findings.error(at, `must be a list, got ${describeValue(value)}`, 'write each entry on its own line starting with "- "');
      return undefined;
    }
    return value.map((entry, index) => item(entry, [...at, index], findings));
  };
}

/** Helm `values`: a YAML string; an object is accepted too (as some Argo CD versions do) and turned into YAML. */
export const readYamlText: Reader<string> = (value, at, findings) => {
  if (typeof value === 'string') return value;
  if (isPlainObject(value)) return stringify(value);
  findings.error(at, `must be a YAML string or a mapping, got ${describeValue(value)}`, 'write the values as a block: "values: |" followed by indented YAML');
  return undefined;
};

export function readLiteral<T extends string>(expected: T, fix: string): Reader<T> {
  return (value, at, findings) => {
    if (value === expected) return expected;
    findings.error(at, `must be ${JSON.stringify(expected)}, got ${describeValue(value)}`, fix);
    return undefined;
  };
}

/** Levenshtein distance, small and only for "did you mean" on field names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function unknownFieldFix(key: string, known: readonly string[]): string {
  const close = known.filter((name) => distance(key, name) <= Math.max(1, Math.floor(name.length / 4)));
  if (close.length > 0) return `did you mean ${close.map((name) => JSON.stringify(name)).join(' or ')}?`;
  return `known fields here: ${known.join(', ')}`;
}

/** The keys each object read by readObject had in the input (non-null), valid or not. */
const GIVEN = new WeakMap<object, ReadonlySet<string>>();

/**
 * Whether `key` was written in the input of an object returned by readObject, even if its value was invalid (and
 * so left out). Checks for missing fields use it to avoid reporting a malformed field a second time as missing.
 */
export function isGiven(read: object, key: string): boolean {
  return GIVEN.get(read)?.has(key) ?? key in read;
}

export interface ObjectOptions {
  /** Fields that must be present, each with the fix to show when it is missing. */
  readonly required?: Readonly<Record<string, string>>;
  /** Fields Argo CD or Kubernetes has that Launchpad reads elsewhere or ignores on purpose: no warning. */
  readonly ignored?: readonly string[];
}

/**
 * Reads a mapping field by field. A field set to null counts as absent (as it does in Kubernetes). The result is
 * undefined when the value is not a mapping or a required field is missing; other errors leave the bad field out.
 */
export function readObject<T>(shape: Shape<T>, options: ObjectOptions = {}): Reader<T> {
  const readers = shape as Readonly<Record<string, Reader<unknown>>>;
  const known = Object.keys(readers);
  return (value, at, findings) => {
    const mapping = readMapping(value, at, findings);
    if (mapping === undefined) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(mapping)) {
      const reader = readers[key];
      if (reader === undefined) {
        if (!(options.ignored ?? []).includes(key)) findings.warn([...at, key], `unknown field ${JSON.stringify(key)} is ignored`, unknownFieldFix(key, known));
        continue;
      }
      if (entry === null || entry === undefined) continue;
      const read = reader(entry, [...at, key], findings);
      if (read !== undefined) out[key] = read;
    }
    GIVEN.set(out, new Set(Object.keys(mapping).filter((key) => mapping[key] !== null && mapping[key] !== undefined)));
    let complete = true;
    for (const [key, fix] of Object.entries(options.required ?? {})) {
      if (key in out) continue;
      complete = false;
      // A present but malformed field has been reported already.
      if (mapping[key] === undefined || mapping[key] === null) findings.error([...at, key], 'required field is missing', fix);
    }
    // Sound because every required key of T is listed in options.required and present by now.
    return complete ? (out as Mutable<T> as T) : undefined;
  };
}
