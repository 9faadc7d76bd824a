/**
 * Kyverno's arithmetic functions on numbers and Go durations (`add('1h', '30m')` → `1h30m0s`). Quantities are
 * compared elsewhere but not computed with here: arithmetic on them is refused with a clear error.
 */
import { parseDuration } from '../scalars.js';
import { formatGoDuration } from '../../model/duration.js';
import type { FunctionDefinition } from './types.js';

type Operand = { readonly kind: 'number'; readonly value: number } | { readonly kind: 'duration'; readonly value: number };

function operand(name: string, value: unknown): Operand {
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'string') {
    const duration = parseDuration(value);
    if (duration !== undefined && value !== '0') return { kind: 'duration', value: duration };
    const number = Number(value);
    if (value.trim() !== '' && !Number.isNaN(number)) return { kind: 'number', value: number };
  }
  throw new Error(`${name}: ${JSON.stringify(value)} is neither a number nor a duration (quantity arithmetic is not supported)`);
}

function binary(name: string, combine: (a: number, b: number) => number, allowMixed: boolean): FunctionDefinition {
  return {
    name,
    args: ['any', 'any'],
    run: ([left, right]) => {
      const a = operand(name, left);
      const b = operand(name, right);
      if (a.kind === 'number' && b.kind === 'number') return combine(a.value, b.value);
      if (a.kind === 'duration' && b.kind === 'duration') return name === 'divide' ? a.value / b.value : formatGoDuration(combine(a.value, b.value));
      if (!allowMixed) throw new Error(`${name}: cannot combine a number with a duration`);
      // duration × number (or ÷ number) keeps the duration; a number on the left multiplies seconds.
      return a.kind === 'duration' ? formatGoDuration(combine(a.value, b.value)) : formatGoDuration(combine(a.value, b.value));
    },
  };
}

export const arithmeticFunctions: readonly FunctionDefinition[] = [
  binary('add', (a, b) => a + b, false),
  binary('subtract', (a, b) => a - b, false),
  binary('multiply', (a, b) => a * b, true),
  {
    name: 'divide',
    args: ['any', 'any'],
    run: ([left, right]) => {
      const a = operand('divide', left);
      const b = operand('divide', right);
      if (b.value === 0) throw new Error('divide: division by zero');
      if (a.kind === 'duration' && b.kind === 'number') return formatGoDuration(a.value / b.value);
      if (a.kind !== b.kind) throw new Error('divide: cannot divide a number by a duration');
      return a.value / b.value;
    },
  },
  {
    name: 'modulo',
    args: ['any', 'any'],
    run: ([left, right]) => {
      const a = operand('modulo', left);
      const b = operand('modulo', right);
      if (b.value === 0) throw new Error('modulo: division by zero');
      if (a.kind !== b.kind) throw new Error('modulo: both operands must be numbers or both durations');
      const rest = a.value % b.value;
      return a.kind === 'duration' ? formatGoDuration(rest) : rest;
    },
  },
  {
    name: 'round',
    args: ['number', 'number'],
    run: ([value, digits]) => {
      const factor = 10 ** Number(digits);
      return Math.round(Number(value) * factor) / factor;
    },
  },
];
