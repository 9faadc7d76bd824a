/**
 * Limits on what Launchpad parses. Every file and stream that becomes YAML or JSON values — root files, manifests
 * of directory sources, rendered helm and kustomize output, `health -f` input, launchpad.yaml — is checked against
 * them, early and cheaply, so no input can exhaust memory or the stack or keep a command busy for minutes: the input
 * is refused with an error that names the file, the limit and how to raise it.
 *
 * Defaults are far above what real manifests need (the Kubernetes API refuses objects over ~1.5 MiB). They can be
 * raised in launchpad.yaml (`limits:`) or with `LAUNCHPAD_LIMITS="maxFileSize=64Mi,maxDepth=200"`.
 */
import { InputError } from '../errors.js';
import type { SourcePosition } from '../errors.js';
import { isPlainObject } from './values.js';

export interface InputLimits {
  /** Bytes in one file or stream. @default 16 MiB */
  readonly maxFileSize: number;
  /** YAML documents in one file or stream. @default 10,000 */
  readonly maxDocuments: number;
  /** Levels of nested mappings and lists. @default 100 (js-yaml's own default, which real manifests fit) */
  readonly maxDepth: number;
  /** Keys in one mapping. @default 10,000 */
  readonly maxKeys: number;
  /** Values that YAML aliases (`*name`) may add to a document when expanded. @default 10,000 */
  readonly maxAliasExpansion: number;
}

export const DEFAULT_LIMITS: InputLimits = {
  maxFileSize: 16 * 1024 * 1024,
  maxDocuments: 10_000,
  maxDepth: 100,
  maxKeys: 10_000,
  maxAliasExpansion: 10_000,
};

export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as readonly (keyof InputLimits)[];

let current: InputLimits = DEFAULT_LIMITS;

/** The limits in force for this process. */
export function inputLimits(): InputLimits {
  return current;
}

/**
 * Sets the limits for this process: `fromConfig` (launchpad.yaml `limits:`), then LAUNCHPAD_LIMITS over it; unset
 * fields keep their default.
 */
export function configureLimits(fromConfig: Partial<InputLimits> = {}, environment: string | undefined = process.env.LAUNCHPAD_LIMITS): void {
  current = { ...DEFAULT_LIMITS, ...fromConfig, ...(environment === undefined ? {} : parseLimitsSetting(environment, 'LAUNCHPAD_LIMITS')) };
}

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1000, m: 1000 ** 2, g: 1000 ** 3, ki: 1024, mi: 1024 ** 2, gi: 1024 ** 3 };

/** `16Mi`, `500k`, `10000` → a positive whole number; undefined when it is not one. */
export function parseLimitValue(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([kmg]i?)?\s*$/i.exec(text);
  if (match === null) return undefined;
  const value = Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] ?? Number.NaN);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** `maxFileSize=64Mi,maxDepth=200` (LAUNCHPAD_LIMITS) → limits; throws naming the bad entry. */
export function parseLimitsSetting(text: string, where: string): Partial<InputLimits> {
  const out: Partial<Record<keyof InputLimits, number>> = {};
  for (const entry of text.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const [name = '', value = ''] = entry.split('=', 2);
    const known = LIMIT_NAMES.find((limit) => limit === name.trim());
    const parsed = parseLimitValue(value);
    if (known === undefined || parsed === undefined) {
      throw new InputError({ file: where }, `"${entry}" is not a limit setting`, { fix: `write name=value pairs separated by commas; names: ${LIMIT_NAMES.join(', ')}; values are positive whole numbers, sizes may end in k, Mi, Gi` });
    }
    out[known] = parsed;
  }
  return out;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

function raise(name: keyof InputLimits): string {
  return `if this input is legitimate, raise ${name} under "limits:" in launchpad.yaml or in LAUNCHPAD_LIMITS`;
}

/** Refuses a text too large to parse, before any parser sees it. */
export function checkTextSize(text: string, position: SourcePosition, limits: InputLimits = current): void {
  // UTF-16 length is a lower bound of the UTF-8 size and exact for ASCII; the exact size only matters near the limit.
  if (text.length <= limits.maxFileSize / 3) return;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= limits.maxFileSize) return;
  throw new InputError(position, `is ${formatBytes(bytes)}, more than the limit of ${formatBytes(limits.maxFileSize)} (maxFileSize)`, { fix: raise('maxFileSize') });
}

const DOCUMENT_START = /^---(?:[ \t]|$)/gm;

/** Refuses a text with more `---` documents than allowed, before any parser sees it. */
export function checkDocumentCount(text: string, position: SourcePosition, limits: InputLimits = current): void {
  let count = 0;
  for (const marker of text.matchAll(DOCUMENT_START)) {
    count += 1;
    if (count > limits.maxDocuments) {
      const line = text.slice(0, marker.index).split('\n').length;
      throw new InputError({ ...position, line }, `holds more than ${limits.maxDocuments} YAML documents (maxDocuments)`, { fix: raise('maxDocuments') });
    }
  }
}

/** What a parsed value breaks, and where (a field path into it). */
export interface LimitViolation {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly fix: string;
}

function childrenOf(value: object): [string | number, unknown][] {
  if (Array.isArray(value)) return value.map((entry: unknown, index) => [index, entry]);
  return Object.entries(value);
}

function isContainer(value: unknown): value is object {
  return Array.isArray(value) || isPlainObject(value);
}

/** Per distinct container: its height (levels below and including it) and its size once aliases are expanded. */
interface Measure {
  readonly height: number;
  readonly size: number;
  /** The child with the greatest height, to name the path of a too-deep value. */
  readonly deepest: string | number | undefined;
}

interface Visit {
  readonly value: object;
  expanded: boolean;
}

function measureOf(value: object, measures: ReadonlyMap<object, Measure>, cap: number): Measure {
  let height = 1;
  let size = 1;
  let deepest: string | number | undefined;
  for (const [key, child] of childrenOf(value)) {
    const below = isContainer(child) ? measures.get(child) : undefined;
    size = Math.min(cap, size + (below?.size ?? 1));
    if (below !== undefined && below.height + 1 > height) {
      height = below.height + 1;
      deepest = key;
    }
  }
  return { height, size, deepest };
}

/** Post-order over the distinct containers of `root`, without recursion; a cycle (a recursive alias) throws. */
function measureAll(root: object, cap: number): Map<object, Measure> {
  const measures = new Map<object, Measure>();
  const onPath = new Set<object>();
  const stack: Visit[] = [{ value: root, expanded: false }];
  for (let top = stack.at(-1); top !== undefined; top = stack.at(-1)) {
    if (top.expanded) {
      stack.pop();
      onPath.delete(top.value);
      measures.set(top.value, measureOf(top.value, measures, cap));
      continue;
    }
    top.expanded = true;
    onPath.add(top.value);
    for (const [, child] of childrenOf(top.value)) {
      if (!isContainer(child) || measures.has(child)) continue;
      if (onPath.has(child)) throw new RangeError('recursive alias');
      stack.push({ value: child, expanded: false });
    }
  }
  return measures;
}

function pathOfDeepest(root: object, measures: ReadonlyMap<object, Measure>, levels: number): (string | number)[] {
  const path: (string | number)[] = [];
  let current: unknown = root;
  while (path.length < levels && isContainer(current)) {
    const key = measures.get(current)?.deepest;
    if (key === undefined) break;
    path.push(key);
    current = (current as Record<string | number, unknown>)[key];
  }
  return path;
}

/**
 * Checks a parsed value without recursion (so it cannot overflow the stack itself): nesting depth, keys per mapping,
 * and what YAML aliases make of it. A value shared by several parents (what aliases produce) is measured once but
 * counted once per parent, as a consumer that walks or serialises it would see it — so an alias bomb is found in
 * linear time, before anything expands it.
 */
export function checkValueLimits(root: unknown, limits: InputLimits = current): LimitViolation | undefined {
  if (!isContainer(root)) return undefined;
  let measures: Map<object, Measure>;
  try {
    measures = measureAll(root, Number.MAX_SAFE_INTEGER);
  } catch {
    return { path: [], message: 'holds a YAML alias that refers to itself', fix: 'remove the recursive alias' };
  }
  for (const [value] of measures) {
    if (!isPlainObject(value)) continue;
    const keys = Object.keys(value).length;
    if (keys > limits.maxKeys) return { path: [], message: `has a mapping with ${keys} keys, more than the limit of ${limits.maxKeys} (maxKeys)`, fix: raise('maxKeys') };
  }
  const top = measures.get(root);
  if (top !== undefined && top.height > limits.maxDepth) {
    return { path: pathOfDeepest(root, measures, limits.maxDepth), message: `is nested more than ${limits.maxDepth} levels deep (maxDepth)`, fix: `flatten the structure, or ${raise('maxDepth')}` };
  }
  // Without aliases every value but the root is the child of exactly one mapping or list.
  let distinct = 1;
  for (const [value] of measures) distinct += childrenOf(value).length;
  const expansion = (top?.size ?? 0) - distinct;
  if (expansion > limits.maxAliasExpansion) {
    return { path: [], message: `YAML aliases expand it by ${expansion >= Number.MAX_SAFE_INTEGER / 2 ? 'an astronomical number of' : String(expansion)} values, more than the limit of ${limits.maxAliasExpansion} (maxAliasExpansion)`, fix: `write the values out, or ${raise('maxAliasExpansion')}` };
  }
  return undefined;
}
