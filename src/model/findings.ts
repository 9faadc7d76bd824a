/**
 * Collects what validation finds, so one run reports every problem at once. Errors stop an object from being
 * used; warnings (unknown fields, ignored settings) do not. Each finding is placed by a {@link Describe}, which
 * knows whether the object came from a file (then `file:line:col`) or from rendering (then a description).
 */
import { InputError, formatPosition } from '../errors.js';
import type { SourcePosition } from '../errors.js';
import type { Warning } from './application.js';
import { formatFieldPath } from './field-path.js';
import type { FieldPath } from './field-path.js';

/** Where a field of the object being validated is, for messages. */
export type Describe = (path: FieldPath) => SourcePosition;

export class Findings {
  readonly errors: InputError[] = [];
  readonly warnings: Warning[] = [];

  constructor(readonly describe: Describe) {}

  error(path: FieldPath, message: string, fix: string): void {
    const fieldPath = path.length === 0 ? undefined : formatFieldPath(path);
    this.errors.push(new InputError(this.describe(path), message, fieldPath === undefined ? { fix } : { fix, fieldPath }));
  }

  warn(path: FieldPath, message: string, fix?: string): void {
    this.warnings.push({
      position: this.describe(path),
      message,
      ...(path.length === 0 ? {} : { fieldPath: formatFieldPath(path) }),
      ...(fix === undefined ? {} : { fix }),
    });
  }
}

/** A warning as one line, in the same shape as an InputError's message: `where: field: message — fix`. */
export function formatWarning(warning: Warning): string {
  const field = warning.fieldPath === undefined ? '' : ` ${warning.fieldPath}:`;
  const fix = warning.fix === undefined ? '' : ` — ${warning.fix}`;
  return `${formatPosition(warning.position)}:${field} ${warning.message}${fix}`;
}

/** The outcome of validating one object: the typed value, or the errors; warnings either way. */
export type Validated<T> =
  | { readonly ok: true; readonly value: T; readonly warnings: readonly Warning[] }
  | { readonly ok: false; readonly errors: readonly InputError[]; readonly warnings: readonly Warning[] };

/** The value when it is complete and nothing was wrong, otherwise the errors. */
export function validated<T>(value: T | undefined, findings: Findings): Validated<T> {
  const warnings = inFileOrder(findings.warnings);
  if (value !== undefined && findings.errors.length === 0) return { ok: true, value, warnings };
  return { ok: false, errors: inFileOrder(findings.errors), warnings };
}

/** Findings sorted by line and column, so a user can work down the file; unplaced ones keep their order. */
export function inFileOrder<T extends { readonly position: SourcePosition }>(items: readonly T[]): T[] {
  const key = (item: T): number => (item.position.line ?? Number.MAX_SAFE_INTEGER) * 10_000 + (item.position.column ?? 0);
  return [...items].sort((a, b) => key(a) - key(b));
}
