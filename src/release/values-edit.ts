/**
 * Changes one scalar of a values file and nothing else. The yaml library's document model finds the node the key
 * path names (keys and indexes, not text patterns, so a second `tag:` elsewhere is never touched) and gives its
 * exact source range; only that range is replaced, so comments, key order, quoting, indentation and line ends stay
 * byte for byte. The scalar keeps its quoting style unless the new value would read back as something else (a
 * plain `1.10` is the number 1.1): then it is double-quoted. The edited text is parsed again and must hold exactly
 * the new value at the path. A missing key is refused, never added. Pure.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments, parseDocument } from 'yaml';
import type { Document, Scalar } from 'yaml';
import { InputError } from '../errors.js';
import { formatKeyPath } from './key-path.js';
import type { KeyPath } from './key-path.js';

export interface ScalarEdit {
  /** The whole file after the edit. */
  readonly text: string;
  /** The value before, as text ("" when the key was empty). */
  readonly previous: string;
  /** 1-based line of the edited value. */
  readonly line: number;
  /** False when the value already was the new one (the text is then unchanged). */
  readonly changed: boolean;
}

interface Located {
  readonly node: Scalar;
  readonly counter: LineCounter;
}

function keyMatches(key: unknown, segment: string | number): boolean {
  const value: unknown = isScalar(key) ? key.value : key;
  return (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && String(value) === String(segment);
}

/** The child node and where it is introduced (its key in a mapping, itself in a list). */
function child(node: unknown, segment: string | number): { readonly value: unknown; readonly at: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.findLast((item) => keyMatches(item.key, segment));
    return pair === undefined ? undefined : { value: pair.value, at: pair.key };
  }
  if (isSeq(node) && typeof segment === 'number') return { value: node.items[segment], at: node.items[segment] };
  return undefined;
}

function lineOf(counter: LineCounter, node: unknown): number | undefined {
  const offset = (node as { range?: readonly number[] | null } | undefined)?.range?.[0];
  return offset === undefined ? undefined : counter.linePos(offset).line;
}

function parseSingle(text: string, file: string, counter: LineCounter): Document {
  const docs = parseAllDocuments(text, { lineCounter: counter, uniqueKeys: true });
  if (!Array.isArray(docs)) throw new InputError({ file }, 'is empty', { fix: 'give the values file that holds the image tag' });
  const [doc, second] = docs;
  if (doc === undefined) throw new InputError({ file }, 'is empty', { fix: 'give the values file that holds the image tag' });
  if (second !== undefined) throw new InputError({ file, line: lineOf(counter, second.contents) ?? 1 }, 'holds more than one YAML document; a Helm values file is one', { fix: 'split it, or give the right file' });
  const error = doc.errors[0];
  if (error !== undefined) {
    const [offset] = error.pos;
    const { line, col } = counter.linePos(offset);
    throw new InputError({ file, line, column: col }, `is not valid YAML: ${error.message.split('\n')[0] ?? ''}`, { fix: 'fix the file first (the edit changes one value and needs the rest to parse)' });
  }
  return doc;
}

/** The node the path names must be a one-line scalar. */
function checkedScalar(node: unknown, where: { readonly file: string; readonly path: KeyPath; readonly counter: LineCounter }): Scalar {
  const { file, path, counter } = where;
  if (!isScalar(node)) throw new InputError({ file, line: lineOf(counter, node) ?? 1 }, `${formatKeyPath(path)} is a ${isMap(node) ? 'mapping' : 'list'}, not a single value`, { fix: 'point --key at the tag itself, e.g. app.image.tag' });
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') throw new InputError({ file, line: lineOf(counter, node) ?? 1 }, `${formatKeyPath(path)} is a block scalar (| or >)`, { fix: 'write the tag on one line, e.g. tag: 2.0.4' });
  return node;
}

function locate(text: string, file: string, path: KeyPath): Located {
  const counter = new LineCounter();
  const doc = parseSingle(text, file, counter);
  let node: unknown = doc.contents;
  // Messages point at the key of the deepest part that exists: that is the line the user has to look at.
  let at: unknown = doc.contents;
  for (const [depth, segment] of path.entries()) {
    const found = child(node, segment);
    const next = found?.value;
    if (next === undefined || next === null) {
      const parent = depth === 0 ? 'the top level' : formatKeyPath(path.slice(0, depth));
      throw new InputError({ file, line: lineOf(counter, at) ?? 1 }, `${formatKeyPath(path)} not found: ${parent} has no ${typeof segment === 'number' ? `item [${segment}]` : `key "${segment}"`}`, {
        fix: 'check --app/--cluster/--key; the key is never added, so that a typo cannot put the tag somewhere the chart does not read',
      });
    }
    if (isAlias(next)) throw new InputError({ file, line: lineOf(counter, next) ?? 1 }, `${formatKeyPath(path.slice(0, depth + 1))} is an alias (*${next.source}); the release edits only values written in place`, { fix: 'write the value in place' });
    node = next;
    at = found?.at;
  }
  return { node: checkedScalar(node, { file, path, counter }), counter };
}

/** Reads back as exactly `value` when written plain. */
function plainIsSafe(value: string): boolean {
  try {
    return parseDocument(`k: ${value}\n`).get('k') === value && !value.includes(' #');
  } catch {
    return false;
  }
}

function render(value: string, style: Scalar['type']): string {
  if (style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (style === 'QUOTE_DOUBLE' || !plainIsSafe(value)) return JSON.stringify(value);
  return value;
}

function previousText(node: Scalar): string {
  if (node.value === null || node.value === undefined) return '';
  if (typeof node.value === 'string') return node.value;
  return node.source ?? JSON.stringify(node.value);
}

/** Sets the scalar at `path` of a values file's text to `value`, changing nothing else. */
export function setScalar(text: string, file: string, path: KeyPath, value: string): ScalarEdit {
  const { node, counter } = locate(text, file, path);
  const [start = 0, end = 0] = node.range ?? [];
  const at = counter.linePos(start).line;
  const previous = previousText(node);
  if (previous === value && typeof node.value === 'string') return { text, previous, line: at, changed: false };
  // An empty value (`tag:`) has a zero-length range right after the colon: the new value needs its space.
  const separator = start === end && text[start - 1] === ':' ? ' ' : '';
  const edited = `${text.slice(0, start)}${separator}${render(value, node.type)}${text.slice(end)}`;
  const check = locate(edited, file, path).node.value;
  if (check !== value) throw new InputError({ file, line: at }, `${formatKeyPath(path)}: the edit would read back as ${JSON.stringify(check)}, not ${JSON.stringify(value)}`, { fix: 'report this as a bug; the file was not changed' });
  return { text: edited, previous, line: at, changed: true };
}

/** The scalar at `path` as text, or undefined when the path is missing or not a scalar (for watch's "current tag"). */
export function readScalar(text: string, path: KeyPath): string | undefined {
  try {
    return previousText(locate(text, 'values', path).node);
  } catch {
    return undefined;
  }
}
