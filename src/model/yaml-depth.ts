/**
 * A linear, non-recursive estimate of how deeply a YAML (or JSON) text nests, computed before any parser sees the
 * text. The `yaml` package parses recursively: a document nested a few thousand levels deep overflows the stack,
 * and V8 does not always survive that (a regular expression compiled on a nearly empty stack aborts the whole
 * process). So text deeper than the limit is refused here, by a scan that cannot overflow.
 *
 * The estimate follows indentation (one level per deeper indent and per compact `- ` entry), flow brackets outside
 * quotes and comments, and skips block scalars (`|`, `>`). It may count a level too many (a plain scalar continued
 * on a deeper line), never far too few; real manifests stay far below the default limit either way.
 */

export interface NestingEstimate {
  readonly depth: number;
  /** Offset in the text where that depth is first reached. */
  readonly offset: number;
}

interface ScanState {
  /** Stop at the first place deeper than this. */
  readonly limit: number;
  flowDepth: number;
  quote: '"' | "'" | undefined;
  /** Indents (columns) of the open block collections. */
  readonly blocks: number[];
  /** Set while inside a block scalar: lines indented deeper than this are its content. */
  blockScalarIndent: number | undefined;
  best: NestingEstimate;
}

const SCALAR_START = new Set([':', '-', '[', '{', ',', '?']);

function note(state: ScanState, depth: number, offset: number): void {
  if (depth > state.best.depth && state.best.depth <= state.limit) state.best = { depth, offset };
}

function indentOf(line: string): number {
  let column = 0;
  while (line.charCodeAt(column) === 32) column += 1;
  return column;
}

/** Whether a quote or bracket at `index` starts a value (after an indicator or at the start), not inside a plain scalar. */
function atScalarStart(line: string, index: number, state: ScanState): boolean {
  if (state.flowDepth > 0) return true;
  let previous = index - 1;
  while (previous >= 0 && line[previous] === ' ') previous -= 1;
  return previous < 0 || SCALAR_START.has(line[previous] ?? '');
}

/** Leaves a quoted scalar if it closes on this line; returns the index after it (or the line's end). */
function skipQuote(line: string, from: number, state: ScanState): number {
  for (let index = from; index < line.length; index++) {
    const char = line[index];
    if (state.quote === '"' && char === '\\') {
      index += 1;
    } else if (char === state.quote) {
      if (state.quote === "'" && line[index + 1] === "'") {
        index += 1;
        continue;
      }
      state.quote = undefined;
      return index + 1;
    }
  }
  return line.length;
}

/** Whether a line's content (after any `- `) is a block mapping entry: `key: value`, `"key": value`, `? key`. */
function isMappingEntry(content: string): boolean {
  const first = content[0];
  if (first === '?') return content.length === 1 || content[1] === ' ';
  if (first === '"' || first === "'") {
    const close = content.indexOf(first, 1);
    return close > 0 && /^\s*:(\s|$)/.test(content.slice(close + 1));
  }
  if (first === undefined || '[{#|>*'.includes(first)) return false;
  return /^[^#]*?:(\s|$)/.test(content);
}

/**
 * Opens the block collections a line starts: a sequence at its indent for a `- ` entry (and one more for each
 * further compact `- `), a mapping for a `key:` entry. Returns where the line's value text starts.
 */
function openBlocks(line: string, indent: number, lineOffset: number, state: ScanState): number {
  const open = (column: number): void => {
    state.blocks.push(column);
    note(state, state.blocks.length, lineOffset + column);
  };
  let index = indent;
  if (line[index] === '-' && (line[index + 1] === ' ' || index + 1 === line.length)) {
    open(indent);
    for (;;) {
      index += 1;
      while (line[index] === ' ') index += 1;
      if (!(line[index] === '-' && (line[index + 1] === ' ' || index + 1 === line.length))) break;
      open(index);
    }
  }
  if (isMappingEntry(line.slice(index))) open(index);
  return index;
}

function isBlockScalarIndicator(line: string, index: number): boolean {
  return /^[|>][-+0-9]*\s*(?:#.*)?$/.test(line.slice(index));
}

function isComment(line: string, index: number): boolean {
  return line[index] === '#' && (index === 0 || line[index - 1] === ' ' || line[index - 1] === '\t');
}

/** A quote, bracket or block scalar indicator at the start of a value; false when the rest of the line is scalar text. */
function openAt(line: string, index: number, lineOffset: number, state: ScanState): boolean {
  const char = line[index];
  if (char === '"' || char === "'") {
    state.quote = char;
  } else if (char === '[' || char === '{') {
    state.flowDepth += 1;
    note(state, state.blocks.length + state.flowDepth, lineOffset + index);
  } else if (state.flowDepth === 0 && isBlockScalarIndicator(line, index)) {
    state.blockScalarIndent = indentOf(line);
    return false;
  }
  return true;
}

/** Handles one character outside quotes; returns false when the rest of the line is a comment or a block scalar. */
function scanCharacter(line: string, index: number, lineOffset: number, state: ScanState): boolean {
  if (isComment(line, index)) return false;
  const char = line[index] ?? '';
  if (char === ']' || char === '}') {
    if (state.flowDepth > 0) state.flowDepth -= 1;
    return true;
  }
  if (!'"\'[{|>'.includes(char) || !atScalarStart(line, index, state)) return true;
  return openAt(line, index, lineOffset, state);
}

function scanCharacters(line: string, from: number, lineOffset: number, state: ScanState): void {
  for (let index = from; index < line.length; index++) {
    if (state.quote !== undefined) index = skipQuote(line, index, state) - 1;
    else if (!scanCharacter(line, index, lineOffset, state)) return;
  }
}

function scanBlockLine(line: string, lineOffset: number, state: ScanState): void {
  const indent = indentOf(line);
  const rest = line.slice(indent);
  if (rest === '' || rest.startsWith('#')) return;
  if (indent === 0 && /^(---|\.\.\.)(\s|$)/.test(rest)) {
    state.blocks.length = 0;
    scanCharacters(line, 3, lineOffset, state);
    return;
  }
  while (state.blocks.length > 0 && (state.blocks.at(-1) ?? 0) >= indent) state.blocks.pop();
  scanCharacters(line, openBlocks(line, indent, lineOffset, state), lineOffset, state);
}

/**
 * The deepest nesting of `text`, found in one pass without recursion; with `limit`, the scan stops at the first
 * place deeper than the limit, and `offset` is that place.
 */
export function estimateNesting(text: string, limit = Number.POSITIVE_INFINITY): NestingEstimate {
  const state: ScanState = { limit, flowDepth: 0, quote: undefined, blocks: [], blockScalarIndent: undefined, best: { depth: 0, offset: 0 } };
  let offset = 0;
  for (const line of text.split('\n')) {
    if (state.best.depth > limit) break;
    const lineOffset = offset;
    offset += line.length + 1;
    if (state.blockScalarIndent !== undefined) {
      if (line.trim() === '' || indentOf(line) > state.blockScalarIndent) continue;
      state.blockScalarIndent = undefined;
    }
    if (state.quote !== undefined || state.flowDepth > 0) scanCharacters(line, 0, lineOffset, state);
    else scanBlockLine(line, lineOffset, state);
  }
  return state.best;
}
