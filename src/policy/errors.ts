/** The policy engine's error: it names the policy, the rule and the field (or object path) it is about. */
import { LaunchpadError } from '../errors.js';
import type { PolicyErrorLike } from './api.js';

export interface PolicyErrorWhere {
  readonly policy: string;
  readonly rule?: string | undefined;
  /** `spec.rules[0].validate.pattern` or an object path such as `/spec/containers/0/image`. */
  readonly field?: string | undefined;
  /** The file the policy came from. */
  readonly file?: string | undefined;
}

export class PolicyError extends LaunchpadError implements PolicyErrorLike {
  readonly policy: string;
  readonly rule: string | undefined;
  readonly field: string | undefined;

  constructor(where: PolicyErrorWhere, message: string, options: { readonly fix?: string; readonly cause?: unknown } = {}) {
    super(`${describeWhere(where)}: ${message}`, options);
    this.policy = where.policy;
    this.rule = where.rule;
    this.field = where.field;
  }
}

/** `file: policy secret-cloner rule clone field spec.rules[0].generate` — every part that is known. */
export function describeWhere(where: PolicyErrorWhere): string {
  const parts = [`policy ${where.policy}`];
  if (where.rule !== undefined) parts.push(`rule ${where.rule}`);
  if (where.field !== undefined) parts.push(`field ${where.field}`);
  const text = parts.join(' ');
  return where.file === undefined ? text : `${where.file}: ${text}`;
}

/** An error raised while evaluating one rule (bad JMESPath result, unresolvable variable); becomes an `error` result. */
export class EvaluationError extends Error {
  constructor(message: string, readonly path?: string) {
    super(message);
    this.name = 'EvaluationError';
  }
}
