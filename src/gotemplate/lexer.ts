/**
 * Go text/template's lexer: text between actions, and the tokens inside `{{ … }}`. Trim markers (`{{- `, ` -}}`)
 * are applied here, as Go does, by trimming the neighbouring text; comments (`{{/* … *\/}}`) become nothing.
 */
export type TokenType =
  | 'text' | 'left' | 'right' | 'eof' | 'space'
  | 'identifier' | 'keyword' | 'field' | 'variable' | 'dot'
  | 'string' | 'rawString' | 'char' | 'number' | 'bool' | 'nil'
  | 'pipe' | 'leftParen' | 'rightParen' | 'declare' | 'assign' | 'comma';

export interface Token {
  readonly type: TokenType;
  readonly value: string;
  /** Offset in the template text, for error positions. */
  readonly pos: number;
}

export class LexError extends Error {
  constructor(message: string, readonly pos: number) {
    super(message);
  }
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);
const SPACE = new Set([' ', '\t', '\r', '\n']);
const LEFT = '{{';
const RIGHT = '}}';

function isAlphaNumeric(ch: string | undefined): boolean {
  return ch !== undefined && /^[\p{L}\p{Nd}_]$/u.test(ch);
}

function trimRightSpace(text: string): string {
  let end = text.length;
  while (end > 0 && SPACE.has(text.charAt(end - 1))) end--;
  return text.slice(0, end);
}

/** Lexes a whole template into tokens; throws LexError at the first malformed construct. */
export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let trimNextText = false;
  while (pos < input.length) {
    const next = input.indexOf(LEFT, pos);
    const textEnd = next === -1 ? input.length : next;
    let text = input.slice(pos, textEnd);
    const textPos = pos;
    if (trimNextText) text = trimLeftSpace(text);
    trimNextText = false;
    if (next === -1) {
      if (text !== '') tokens.push({ type: 'text', value: text, pos: textPos });
      break;
    }
    const trimLeft = input.charAt(next + 2) === '-' && SPACE.has(input.charAt(next + 3));
    if (trimLeft) text = trimRightSpace(text);
    if (text !== '') tokens.push({ type: 'text', value: text, pos: textPos });
    const action = lexAction(input, next, trimLeft ? next + 3 : next + 2, tokens);
    pos = action.end;
    trimNextText = action.trimRight;
  }
  tokens.push({ type: 'eof', value: '', pos: input.length });
  return tokens;
}

function trimLeftSpace(text: string): string {
  let start = 0;
  while (start < text.length && SPACE.has(text.charAt(start))) start++;
  return text.slice(start);
}

/** Where a right delimiter starts at `pos` (with or without ` -` trim marker), or undefined. */
function rightDelimiterAt(input: string, pos: number): { trim: boolean; end: number } | undefined {
  if (SPACE.has(input.charAt(pos)) && input.startsWith(`-${RIGHT}`, pos + 1)) return { trim: true, end: pos + 4 };
  if (input.startsWith(RIGHT, pos)) return { trim: false, end: pos + 2 };
  return undefined;
}

function lexAction(input: string, leftPos: number, start: number, tokens: Token[]): { end: number; trimRight: boolean } {
  // A comment must touch the delimiters (after an optional trim marker): `{{/* x */}}`, `{{- /* x */ -}}`.
  const commentStart = start > leftPos + 2 ? start + 1 : start;
  if (input.startsWith('/*', commentStart)) {
    const close = input.indexOf('*/', commentStart + 2);
    if (close === -1) throw new LexError('unclosed comment', leftPos);
    const right = rightDelimiterAt(input, close + 2);
    if (!right) throw new LexError('comment ends before closing delimiter', leftPos);
    return { end: right.end, trimRight: right.trim };
  }
  tokens.push({ type: 'left', value: LEFT, pos: leftPos });
  return lexInsideAction(input, start, tokens, leftPos);
}

// One step per token inside an action; the switch mirrors Go's lexInsideAction.
// eslint-disable-next-line complexity
function lexInsideAction(input: string, start: number, tokens: Token[], leftPos: number): { end: number; trimRight: boolean } {
  let pos = start;
  let parenDepth = 0;
  for (;;) {
    const right = rightDelimiterAt(input, pos);
    if (right && parenDepth === 0) {
      tokens.push({ type: 'right', value: RIGHT, pos });
      return { end: right.end, trimRight: right.trim };
    }
    if (pos >= input.length) throw new LexError(parenDepth > 0 ? 'unclosed left paren' : 'unclosed action', leftPos);
    if (right) throw new LexError('unclosed left paren', pos);
    const ch = input.charAt(pos);
    if (SPACE.has(ch)) {
      let end = pos;
      while (SPACE.has(input.charAt(end)) && !rightDelimiterAt(input, end)?.trim) end++;
      if (end === pos) end++;
      tokens.push({ type: 'space', value: input.slice(pos, end), pos });
      pos = end;
    } else if (ch === '=') {
      tokens.push({ type: 'assign', value: '=', pos });
      pos++;
    } else if (ch === ':') {
      if (input.charAt(pos + 1) !== '=') throw new LexError('expected :=', pos);
      tokens.push({ type: 'declare', value: ':=', pos });
      pos += 2;
    } else if (ch === '|') {
      tokens.push({ type: 'pipe', value: '|', pos });
      pos++;
    } else if (ch === ',') {
      tokens.push({ type: 'comma', value: ',', pos });
      pos++;
    } else if (ch === '(') {
      parenDepth++;
      tokens.push({ type: 'leftParen', value: '(', pos });
      pos++;
    } else if (ch === ')') {
      if (parenDepth === 0) throw new LexError('unexpected right paren', pos);
      parenDepth--;
      tokens.push({ type: 'rightParen', value: ')', pos });
      pos++;
    } else {
      pos = lexOperand(input, pos, tokens);
    }
  }
}

// eslint-disable-next-line complexity
function lexOperand(input: string, pos: number, tokens: Token[]): number {
  const ch = input.charAt(pos);
  if (ch === '"') return lexQuoted(input, pos, tokens);
  if (ch === '`') {
    const close = input.indexOf('`', pos + 1);
    if (close === -1) throw new LexError('unterminated raw quoted string', pos);
    tokens.push({ type: 'rawString', value: input.slice(pos, close + 1), pos });
    return close + 1;
  }
  if (ch === "'") return lexChar(input, pos, tokens);
  if (ch === '$') return lexWord(input, pos, 'variable', tokens);
  if (ch === '.') {
    const following = input.charAt(pos + 1);
    if (following >= '0' && following <= '9') return lexNumber(input, pos, tokens);
    if (!isAlphaNumeric(following)) {
      tokens.push({ type: 'dot', value: '.', pos });
      return pos + 1;
    }
    return lexWord(input, pos, 'field', tokens);
  }
  if (ch === '+' || ch === '-' || (ch >= '0' && ch <= '9')) return lexNumber(input, pos, tokens);
  if (isAlphaNumeric(ch)) return lexWord(input, pos, 'identifier', tokens);
  const code = ch.codePointAt(0) ?? 0;
  throw new LexError(`unrecognized character in action: U+${code.toString(16).toUpperCase().padStart(4, '0')} '${ch}'`, pos);
}

function lexWord(input: string, start: number, type: 'variable' | 'field' | 'identifier', tokens: Token[]): number {
  let end = type === 'identifier' ? start : start + 1;
  while (isAlphaNumeric(input.charAt(end))) end++;
  const word = input.slice(start, end);
  if (type === 'identifier') {
    if (KEYWORDS.has(word)) tokens.push({ type: 'keyword', value: word, pos: start });
    else if (word === 'true' || word === 'false') tokens.push({ type: 'bool', value: word, pos: start });
    else if (word === 'nil') tokens.push({ type: 'nil', value: word, pos: start });
    else tokens.push({ type: 'identifier', value: word, pos: start });
  } else {
    tokens.push({ type, value: word, pos: start });
  }
  return end;
}

function lexQuoted(input: string, pos: number, tokens: Token[]): number {
  let end = pos + 1;
  for (;;) {
    const ch = input.charAt(end);
    if (ch === '\\') end++;
    else if (ch === '"') break;
    if (ch === '' || ch === '\n' || end >= input.length) throw new LexError('unterminated quoted string', pos);
    end++;
  }
  tokens.push({ type: 'string', value: input.slice(pos, end + 1), pos });
  return end + 1;
}

function lexChar(input: string, pos: number, tokens: Token[]): number {
  let end = pos + 1;
  for (;;) {
    const ch = input.charAt(end);
    if (ch === '\\') end++;
    else if (ch === "'") break;
    if (ch === '' || ch === '\n' || end >= input.length) throw new LexError('unterminated character constant', pos);
    end++;
  }
  tokens.push({ type: 'char', value: input.slice(pos, end + 1), pos });
  return end + 1;
}

function lexNumber(input: string, pos: number, tokens: Token[]): number {
  const match = /^[+-]?(?:0[xX][0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?\d+)?|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*)?\.?[\d_]*(?:[eE][+-]?\d+)?)i?/.exec(input.slice(pos));
  const text = match?.[0] ?? '';
  const end = pos + text.length;
  if (text === '' || text === '+' || text === '-' || isAlphaNumeric(input.charAt(end))) {
    let bad = end;
    while (isAlphaNumeric(input.charAt(bad)) || input.charAt(bad) === '.') bad++;
    throw new LexError(`bad number syntax: "${input.slice(pos, Math.max(bad, pos + 1))}"`, pos);
  }
  tokens.push({ type: 'number', value: text, pos });
  return end;
}
