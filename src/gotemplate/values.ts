/**
 * Go's view of JavaScript values: the kind names Go would print in errors, truthiness (`if`, `with`, `and`, `or`)
 * and `%v` printing (`map[a:1 b:2]`, `[a b]`, `<nil>`). Data is JSON-shaped: objects are Go maps
 * (`map[string]interface {}`), arrays are slices, integral numbers are ints and others float64.
 */

export function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The Go type name a value would have after JSON decoding (for error messages such as `expected string; got int`). */
export function goTypeName(value: unknown): string {
  if (value === undefined || value === null) return '<nil>';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  if (typeof value === 'bigint') return 'int64';
  if (Array.isArray(value)) return '[]interface {}';
  if (value instanceof Date) return 'time.Time';
  if (typeof value === 'function') return 'func';
  if (value instanceof Uint8Array) return '[]uint8';
  return 'map[string]interface {}';
}

/** Go's template truth: false, 0, "", nil, and empty slices and maps are false. */
export function isTrue(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  switch (typeof value) {
    case 'boolean': return value;
    case 'number': return value !== 0;
    case 'bigint': return value !== 0n;
    case 'string': return value !== '';
    case 'function': return true;
    default:
      if (Array.isArray(value)) return value.length > 0;
      if (value instanceof Uint8Array) return value.length > 0;
      if (isPlainMap(value)) return Object.keys(value).length > 0;
      return true;
  }
}

/** strconv.FormatFloat(f, 'g', -1, 64), fmt's %v of a float64: shortest digits, exponent when exp < -4 or ≥ 6. */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return value.toFixed(Math.max(0, digits.length - 1 - exponent));
}

export function formatGoNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return value.toFixed(0);
  return formatGoFloat(value);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** time.Time's String() for a UTC instant: `2024-01-02 03:04:05.5 +0000 UTC`. */
export function formatGoTime(date: Date): string {
  const ms = date.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0').replace(/0+$/, '')}`;
  return `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())} ${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}${fraction} +0000 UTC`;
}

/** fmt's %v of a value nested in a slice or map (nil prints as `<nil>`). */
export function formatGoValue(value: unknown): string {
  if (value === undefined || value === null) return '<nil>';
  switch (typeof value) {
    case 'string': return value;
    case 'number': return formatGoNumber(value);
    case 'boolean': return String(value);
    case 'bigint': return value.toString();
    case 'function': return '<func>';
    default: break;
  }
  if (Array.isArray(value)) return `[${value.map(formatGoValue).join(' ')}]`;
  if (value instanceof Uint8Array) return `[${Array.from(value).join(' ')}]`;
  if (value instanceof Date) return formatGoTime(value);
  if (value instanceof Error) return value.message;
  const entries = Object.keys(value).sort().map((key) => `${key}:${formatGoValue((value as Record<string, unknown>)[key])}`);
  return `map[${entries.join(' ')}]`;
}

/** What `{{ pipeline }}` prints: a missing or nil value is `<no value>`, as Go prints an invalid reflect.Value. */
export function printTemplateValue(value: unknown): string {
  if (value === undefined || value === null) return '<no value>';
  return formatGoValue(value);
}
