/**
 * Go's fmt.Sprintf for the verbs templates use: %v %s %d %q %t %f %F %e %E %g %G %x %X %o %b %c %U %%, flags
 * `-+# 0`, width and precision (also `*`). Wrong verbs print Go's inline diagnostics (`%!d(string=abc)`,
 * `%!s(MISSING)`, `%!(EXTRA int=1)`) rather than failing, as Go does.
 */
import { formatGoFloat, formatGoValue, goTypeName, isPlainMap } from './values.js';

interface Spec {
  minus: boolean; plus: boolean; sharp: boolean; space: boolean; zero: boolean;
  width: number | undefined; precision: number | undefined; verb: string;
}

/** strconv.Quote: Go's escaping (`\x00`, `\u00ad`), printable Unicode kept. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    out += quoteRune(ch, code, '"');
  }
  return `${out}"`;
}

const ESCAPES: Readonly<Record<number, string>> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v', 92: '\\\\' };

function quoteRune(ch: string, code: number, quote: string): string {
  if (ch === quote) return `\\${quote}`;
  const escape = ESCAPES[code];
  if (escape !== undefined) return escape;
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (/^[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]$/u.test(ch)) return ch;
  return code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

function pad(text: string, spec: Spec, numeric: boolean): string {
  const width = spec.width ?? 0;
  if (text.length >= width) return text;
  if (spec.minus) return text.padEnd(width, ' ');
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(text) ? text.charAt(0) : '';
    return sign + text.slice(sign.length).padStart(width - sign.length, '0');
  }
  return text.padStart(width, ' ');
}

function signed(text: string, negative: boolean, spec: Spec): string {
  if (negative) return `-${text}`;
  if (spec.plus) return `+${text}`;
  return spec.space ? ` ${text}` : text;
}

function badVerb(spec: Spec, arg: unknown): string {
  if (arg === undefined || arg === null) return `%!${spec.verb}(<nil>)`;
  return `%!${spec.verb}(${goTypeName(arg)}=${formatGoValue(arg)})`;
}

function formatInteger(value: number | bigint, spec: Spec): string {
  const negative = value < 0;
  const magnitude = negative ? -BigInt(value) : BigInt(value);
  const radix = { d: 10, v: 10, x: 16, X: 16, o: 8, O: 8, b: 2 }[spec.verb] ?? 10;
  let digits = magnitude.toString(radix);
  if (spec.verb === 'X') digits = digits.toUpperCase();
  if (spec.precision !== undefined) digits = digits.padStart(spec.precision, '0');
  if (spec.sharp && (spec.verb === 'x' || spec.verb === 'X')) digits = `0${spec.verb}${digits}`;
  if (spec.sharp && spec.verb === 'o' && !digits.startsWith('0')) digits = `0${digits}`;
  if (spec.verb === 'O') digits = `0o${digits}`;
  return pad(signed(digits, negative, spec), spec, spec.precision === undefined);
}

function formatFloat(value: number, spec: Spec): string {
  const negative = value < 0 || Object.is(value, -0);
  const magnitude = Math.abs(value);
  let text: string;
  if (!Number.isFinite(magnitude)) text = Number.isNaN(magnitude) ? 'NaN' : 'Inf';
  else if (spec.verb === 'f' || spec.verb === 'F') text = magnitude.toFixed(spec.precision ?? 6);
  else if (spec.verb === 'e' || spec.verb === 'E') text = goExponent(magnitude.toExponential(spec.precision ?? 6));
  else text = spec.precision === undefined ? formatGoFloat(magnitude) : goGeneral(magnitude, spec.precision);
  if (spec.verb === 'E' || spec.verb === 'G') text = text.toUpperCase();
  if (Number.isNaN(value)) return pad(spec.plus ? '+NaN' : 'NaN', spec, false);
  return pad(signed(text, negative, spec), spec, Number.isFinite(magnitude));
}

function goExponent(jsExponential: string): string {
  return jsExponential.replace(/e([+-])(\d)$/, 'e$10$2');
}

function goGeneral(value: number, precision: number): string {
  const digits = Math.max(precision, 1);
  const exponent = value === 0 ? 0 : Math.floor(Math.log10(value));
  if (exponent < -4 || exponent >= digits) return goExponent(value.toExponential(digits - 1).replace(/\.?0+e/, 'e'));
  return String(Number(value.toPrecision(digits)));
}

// One case per verb family, as fmt's printArg.
// eslint-disable-next-line complexity
function formatArg(arg: unknown, spec: Spec): string {
  const { verb } = spec;
  if (verb === 'T') return pad(goTypeName(arg), spec, false);
  if (typeof arg === 'boolean') return verb === 't' || verb === 'v' ? pad(String(arg), spec, false) : badVerb(spec, arg);
  if (typeof arg === 'bigint' || (typeof arg === 'number' && Number.isInteger(arg) && verb !== 'v' && !'eEfFgG'.includes(verb))) {
    return formatIntegerVerb(arg, spec);
  }
  if (typeof arg === 'number') {
    if (verb === 'v' && Number.isInteger(arg)) return formatInteger(arg, { ...spec, verb: 'd' });
    if ('vfFeEgG'.includes(verb)) return formatFloat(arg, verb === 'v' ? { ...spec, verb: 'g' } : spec);
    return badVerb(spec, arg);
  }
  if (typeof arg === 'string') return formatString(arg, spec);
  if (arg === undefined || arg === null) return verb === 'v' ? pad('<nil>', spec, false) : badVerb(spec, arg);
  // Like fmt, a verb applies to each element of a list and to each key and value of a map.
  if (Array.isArray(arg) && verb !== 'v') return `[${arg.map((item) => formatArg(item, spec)).join(' ')}]`;
  if (isPlainMap(arg) && verb !== 'v') {
    return `map[${Object.keys(arg).sort().map((key) => `${formatArg(key, spec)}:${formatArg(arg[key], spec)}`).join(' ')}]`;
  }
  return verb === 'v' || verb === 's' ? pad(formatGoValue(arg), spec, false) : badVerb(spec, arg);
}

function formatIntegerVerb(arg: number | bigint, spec: Spec): string {
  switch (spec.verb) {
    case 'd': case 'v': case 'x': case 'X': case 'o': case 'O': case 'b': return formatInteger(arg, spec);
    case 'c': return pad(String.fromCodePoint(Number(arg)), spec, false);
    case 'q': return pad(`'${quoteRune(String.fromCodePoint(Number(arg)), Number(arg), "'")}'`, spec, false);
    case 'U': return pad(`U+${Number(arg).toString(16).toUpperCase().padStart(4, '0')}`, spec, false);
    default: return badVerb(spec, arg);
  }
}

function formatString(arg: string, spec: Spec): string {
  switch (spec.verb) {
    case 'v': case 's': return pad(spec.precision === undefined ? arg : Array.from(arg).slice(0, spec.precision).join(''), spec, false);
    case 'q': return pad(goQuote(arg), spec, false);
    case 'x': case 'X': {
      const hex = Array.from(new TextEncoder().encode(arg), (byte) => byte.toString(16).padStart(2, '0')).join(spec.space ? ' ' : '');
      return pad(spec.verb === 'X' ? hex.toUpperCase() : hex, spec, false);
    }
    default: return badVerb(spec, arg);
  }
}

/** fmt.Sprintf(format, args...). */
export function goSprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argIndex = 0;
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf('%', i);
    if (percent === -1) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, percent);
    const parsed = parseSpec(format, percent + 1, () => args[argIndex++]);
    i = parsed.end;
    if (parsed.spec.verb === '%') {
      out += '%';
    } else if (parsed.spec.verb === '') {
      out += '%!(NOVERB)';
    } else if (argIndex >= args.length) {
      out += `%!${parsed.spec.verb}(MISSING)`;
    } else {
      out += formatArg(args[argIndex++], parsed.spec);
    }
  }
  if (argIndex < args.length) out += `%!(EXTRA ${args.slice(argIndex).map((a) => `${goTypeName(a)}=${formatGoValue(a)}`).join(', ')})`;
  return out;
}

function parseSpec(format: string, start: number, nextArg: () => unknown): { spec: Spec; end: number } {
  const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, precision: undefined, verb: '' };
  let i = start;
  for (; i < format.length; i++) {
    const ch = format.charAt(i);
    if (ch === '-') spec.minus = true;
    else if (ch === '+') spec.plus = true;
    else if (ch === '#') spec.sharp = true;
    else if (ch === ' ') spec.space = true;
    else if (ch === '0') spec.zero = !spec.minus;
    else break;
  }
  const number = (): number | undefined => {
    if (format.charAt(i) === '*') {
      i++;
      const value = nextArg();
      return typeof value === 'number' ? value : undefined;
    }
    const match = /^\d+/.exec(format.slice(i));
    if (!match) return undefined;
    i += match[0].length;
    return Number(match[0]);
  };
  spec.width = number();
  if (spec.width !== undefined && spec.width < 0) {
    spec.minus = true;
    spec.width = -spec.width;
  }
  if (format.charAt(i) === '.') {
    i++;
    spec.precision = number() ?? 0;
  }
  spec.verb = Array.from(format.slice(i))[0] ?? '';
  return { spec, end: i + spec.verb.length };
}
