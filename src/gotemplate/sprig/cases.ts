/**
 * huandu/xstrings' case conversions as Sprig exposes them: snakecase, kebabcase, camelcase (`foo_bar` → `FooBar`).
 * Words split on `_`, `-`, spaces and case changes (an acronym stays one word: `HTTPServer` → `http_server`).
 */
import type { GoTemplateFunction } from '../types.js';
import { str } from './convert.js';

function words(text: string): string[] {
  return text
    .replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .split(/[\s_\-.]+/u)
    .filter((word) => word !== '');
}

function delimited(text: string, delimiter: string): string {
  return words(text).map((word) => word.toLowerCase()).join(delimiter);
}

const isConnector = (ch: string): boolean => ch === '-' || ch === '_' || /^\s$/u.test(ch);
const isUpper = (ch: string): boolean => ch !== ch.toLowerCase() && ch === ch.toUpperCase();

/**
 * xstrings.ToPascalCase, Sprig's camelcase: connectors (`_`, `-`, spaces) dropped and the next letter upper-cased;
 * leading connectors and the first of a run of connectors kept ("_complex__case_" → "_Complex_Case_"); an
 * upper-case word is lowered after its first letter ("GOLANG_IS_GREAT" → "GolangIsGreat").
 */
function camelcase(text: string): string {
  const runes = Array.from(text);
  let out = '';
  let i = 0;
  while (i < runes.length && isConnector(runes[i] ?? '')) out += runes[i++] ?? '';
  if (i >= runes.length) return out;
  let current = runes[i++] ?? '';
  let wordStartedUpper = isUpper(current);
  current = current.toUpperCase();
  for (; i < runes.length; i++) {
    const previous = current;
    current = runes[i] ?? '';
    if (isConnector(current) && isConnector(previous)) {
      out += previous;
    } else if (isConnector(previous)) {
      wordStartedUpper = isUpper(current);
      current = current.toUpperCase();
    } else {
      if (wordStartedUpper && isUpper(current)) current = current.toLowerCase();
      else if (wordStartedUpper) wordStartedUpper = false;
      out += previous;
    }
  }
  return out + current;
}

export const CASE_FUNCTIONS: Readonly<Record<string, GoTemplateFunction>> = {
  snakecase: (s: unknown) => delimited(str(s), '_'),
  kebabcase: (s: unknown) => delimited(str(s), '-'),
  camelcase: (s: unknown) => camelcase(str(s)),
};
