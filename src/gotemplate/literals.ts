/** Go literal syntax inside actions: quoted strings, raw strings, character constants and numbers. */
import type { GoNumberLiteral } from './ast.js';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'",
};

/** strconv.Unquote for "…", `…` and '…' (returns the rune's text for a char). */
export function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1).replaceAll('\r', '');
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body.charAt(i);
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const escape = body.charAt(++i);
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined) {
      out += simple;
    } else if (escape === 'x' || escape === 'u' || escape === 'U') {
      const width = escape === 'x' ? 2 : escape === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + width);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) throw new Error(`invalid syntax: ${literal}`);
      out += String.fromCodePoint(Number.parseInt(hex, 16));
      i += width;
    } else if (escape >= '0' && escape <= '7') {
      const octal = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(octal)) throw new Error(`invalid syntax: ${literal}`);
      out += String.fromCharCode(Number.parseInt(octal, 8));
      i += 2;
    } else {
      throw new Error(`invalid syntax: ${literal}`);
    }
  }
  return out;
}

/** A Go numeric constant (`42`, `0x1F`, `1e3`, `.5`, `'a'`); throws on what Go rejects. */
export function parseNumber(text: string, isChar: boolean): GoNumberLiteral {
  if (isChar) {
    const rune = unquote(text);
    const code = rune.codePointAt(0);
    if (code === undefined || Array.from(rune).length !== 1) throw new Error(`malformed character constant: ${text}`);
    return { value: code, isInt: true, isChar: true };
  }
  if (text.endsWith('i')) throw new Error(`complex number ${text} is not supported`);
  const clean = text.replaceAll('_', '');
  const sign = clean.startsWith('-') ? -1 : 1;
  const unsigned = clean.replace(/^[+-]/, '');
  const integer = parseInteger(unsigned);
  if (integer !== undefined) return { value: sign * integer, isInt: true, isChar: false };
  const float = /^0[xX]/.test(unsigned) ? Number.NaN : Number(unsigned);
  if (Number.isNaN(float) || unsigned === '') throw new Error(`illegal number syntax: "${text}"`);
  // Go's untyped constants: 1e3 and 2.0 are integers when used where an int is wanted, as here.
  return { value: sign * float, isInt: Number.isInteger(float) && !/[.eE]/.test(unsigned), isChar: false };
}

function parseInteger(text: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^0[bB][01]+$/.test(text)) return Number.parseInt(text.slice(2), 2);
  if (/^0[oO]?[0-7]+$/.test(text)) return Number.parseInt(text.replace(/^0[oO]?/, ''), 8);
  if (/^(0|[1-9]\d*)$/.test(text)) return Number.parseInt(text, 10);
  return undefined;
}
