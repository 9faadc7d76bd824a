/** Sprig's arithmetic (numeric.go): integer functions go through cast.ToInt64, the `f` ones through float64. */
import { GoFunctionError } from '../errors.js';
import type { GoTemplateFunction } from '../types.js';
import { int, str, toFloat64, toInt64 } from './convert.js';

function divide(a: unknown, b: unknown): number {
  const divisor = toInt64(b);
  if (divisor === 0) throw new GoFunctionError('runtime error: integer divide by zero');
  return Math.trunc(toInt64(a) / divisor);
}

function modulo(a: unknown, b: unknown): number {
  const divisor = toInt64(b);
  if (divisor === 0) throw new GoFunctionError('runtime error: integer divide by zero');
  return toInt64(a) % divisor;
}

/** Sprig rounds float results through shopspring/decimal; summing in decimal keeps 0.1+0.2 at 0.3. */
function decimalSum(values: readonly number[]): number {
  const scale = Math.max(0, ...values.map((value) => (String(value).split('.')[1] ?? '').length));
  if (scale > 15) return values.reduce((sum, value) => sum + value, 0);
  const factor = 10 ** scale;
  return values.reduce((sum, value) => sum + Math.round(value * factor), 0) / factor;
}

function decimalProduct(values: readonly number[]): number {
  const product = values.reduce((acc, value) => acc * value, 1);
  return Number(product.toPrecision(15));
}

function round(value: unknown, places: unknown, roundOn: unknown = 0.5): number {
  const p = int(places);
  const factor = 10 ** p;
  const scaled = toFloat64(value) * factor;
  const whole = Math.trunc(scaled);
  const fraction = Math.abs(scaled - whole);
  const rounded = fraction >= toFloat64(roundOn) ? whole + Math.sign(scaled) : whole;
  return rounded / factor;
}

export const MATH_FUNCTIONS: Readonly<Record<string, GoTemplateFunction>> = {
  add1: (a: unknown) => toInt64(a) + 1,
  add: (...values: unknown[]) => values.reduce<number>((sum, value) => sum + toInt64(value), 0),
  sub: (a: unknown, b: unknown) => toInt64(a) - toInt64(b),
  div: divide,
  mod: modulo,
  mul: (a: unknown, ...values: unknown[]) => values.reduce<number>((product, value) => product * toInt64(value), toInt64(a)),
  max: (a: unknown, ...values: unknown[]) => Math.max(toInt64(a), ...values.map(toInt64)),
  biggest: (a: unknown, ...values: unknown[]) => Math.max(toInt64(a), ...values.map(toInt64)),
  min: (a: unknown, ...values: unknown[]) => Math.min(toInt64(a), ...values.map(toInt64)),
  add1f: (a: unknown) => decimalSum([toFloat64(a), 1]),
  addf: (...values: unknown[]) => decimalSum(values.map(toFloat64)),
  subf: (a: unknown, ...values: unknown[]) => decimalSum([toFloat64(a), ...values.map((value) => -toFloat64(value))]),
  mulf: (a: unknown, ...values: unknown[]) => decimalProduct([toFloat64(a), ...values.map(toFloat64)]),
  divf: (a: unknown, ...values: unknown[]) => {
    let result = toFloat64(a);
    for (const value of values) {
      const divisor = toFloat64(value);
      if (divisor === 0) throw new GoFunctionError('decimal division by 0');
      result /= divisor;
    }
    return Number(result.toPrecision(15));
  },
  maxf: (a: unknown, ...values: unknown[]) => Math.max(toFloat64(a), ...values.map(toFloat64)),
  minf: (a: unknown, ...values: unknown[]) => Math.min(toFloat64(a), ...values.map(toFloat64)),
  ceil: (a: unknown) => Math.ceil(toFloat64(a)),
  floor: (a: unknown) => Math.floor(toFloat64(a)),
  round,
  int: (a: unknown) => toInt64(a),
  int64: (a: unknown) => toInt64(a),
  float64: (a: unknown) => toFloat64(a),
  atoi: (a: unknown) => {
    const text = str(a);
    return /^[+-]?\d+$/.test(text) ? Number.parseInt(text, 10) : 0;
  },
  toDecimal: (a: unknown) => {
    const text = String(a);
    return /^[0-7]+$/.test(text) ? Number.parseInt(text, 8) : 0;
  },
  randInt: (min: unknown, max: unknown) => {
    const low = int(min);
    return low + Math.floor(Math.random() * (int(max) - low));
  },
};
