/**
 * `preconditions`, `deny.conditions` and cleanup `conditions`: `any`/`all` blocks (or the legacy plain list, which
 * means all), each condition's key and value substituted before the operator runs. An empty block holds.
 */
import { EvaluationError } from './errors.js';
import { evaluateOperator } from './operators.js';
import { isRecord } from './scalars.js';
import { substituteTree } from './variables.js';
import type { SubstitutionScope } from './variables.js';

export interface Condition {
  readonly key: unknown;
  readonly operator: string;
  readonly value: unknown;
  readonly message?: string;
}

export interface ConditionBlock {
  readonly any?: readonly Condition[];
  readonly all?: readonly Condition[];
}

export interface ConditionOutcome {
  readonly holds: boolean;
  /** Messages of the conditions that decided the outcome (when they have one). */
  readonly messages: readonly string[];
}

/** The block as written: `{any, all}` or a list of conditions (Kyverno's first form). */
export function conditionBlock(raw: unknown): ConditionBlock {
  if (Array.isArray(raw)) return { all: raw as Condition[] };
  if (isRecord(raw)) return raw;
  return {};
}

function evaluateOne(condition: Condition, scope: SubstitutionScope, path: string): boolean {
  const key = substituteTree(condition.key, scope, `${path}.key`);
  const value = substituteTree(condition.value, scope, `${path}.value`);
  return evaluateOperator(condition.operator, key, value);
}

export function evaluateConditions(block: ConditionBlock, scope: SubstitutionScope, path: string): ConditionOutcome {
  const messages: string[] = [];
  if (block.any !== undefined && block.any.length > 0) {
    let anyHolds = false;
    for (const [index, condition] of block.any.entries()) {
      if (evaluateOne(condition, scope, `${path}.any[${index}]`)) {
        anyHolds = true;
        break;
      }
      if (condition.message !== undefined) messages.push(condition.message);
    }
    if (!anyHolds) return { holds: false, messages };
  }
  for (const [index, condition] of (block.all ?? []).entries()) {
    if (!evaluateOne(condition, scope, `${path}.all[${index}]`)) {
      return { holds: false, messages: condition.message === undefined ? [] : [condition.message] };
    }
  }
  return { holds: true, messages: [] };
}

/** Evaluates and turns a substitution failure into an EvaluationError naming the block. */
export function checkConditions(raw: unknown, scope: SubstitutionScope, path: string): ConditionOutcome {
  try {
    return evaluateConditions(conditionBlock(raw), scope, path);
  } catch (error) {
    if (error instanceof EvaluationError) throw error;
    throw new EvaluationError(`${path}: ${error instanceof Error ? error.message : String(error)}`, path);
  }
}
