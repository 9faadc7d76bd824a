/**
 * Validate rules: `pattern`, `anyPattern`, `deny.conditions` and `foreach`, with Kyverno's messages
 * (`validation error: <message>. rule <name> failed at path /spec/...`) and outcomes (a conditional anchor that does
 * not hold skips; preconditions that do not hold skip; an empty foreach list skips).
 */
import type { EvaluationEnvironment } from './api.js';
import { checkConditions } from './conditions.js';
import { loadContext, scopeOf } from './context.js';
import { searchExpression } from './jmespath.js';
import type { CompiledRule, ForeachBlock } from './model.js';
import { errored, fail, pass, skip } from './outcome.js';
import type { Outcome } from './outcome.js';
import { matchPattern } from './pattern.js';
import { isRecord } from './scalars.js';
import { substituteString, substituteTree } from './variables.js';

function ruleMessage(rule: CompiledRule, document: Record<string, unknown>): string {
  const raw = rule.validate?.message ?? '';
  if (raw === '') return '';
  try {
    const text = String(substituteString(raw, scopeOf(document), 'validate.message'));
    return text.trim();
  } catch {
    return raw.trim();
  }
}

function patternFailure(rule: CompiledRule, document: Record<string, unknown>, path: string): string {
  const message = ruleMessage(rule, document);
  if (message === '') return `validation error: rule ${rule.name} failed at path ${path}`;
  return `validation error: ${message.endsWith('.') ? message : `${message}.`} rule ${rule.name} failed at path ${path}`;
}

function checkPatternOn(resource: unknown, pattern: unknown, rule: CompiledRule, document: Record<string, unknown>): Outcome {
  const substituted = substituteTree(pattern, scopeOf(document), 'validate.pattern');
  const mismatch = matchPattern(resource, substituted);
  if (mismatch === undefined) return pass(`validation rule '${rule.name}' passed.`);
  if (mismatch.skip) return skip(mismatch.message);
  return fail(patternFailure(rule, document, mismatch.path));
}

function checkAnyPattern(resource: unknown, patterns: readonly unknown[], rule: CompiledRule, document: Record<string, unknown>): Outcome {
  const failures: string[] = [];
  const skips: string[] = [];
  for (const [index, pattern] of patterns.entries()) {
    const substituted = substituteTree(pattern, scopeOf(document), `validate.anyPattern[${index}]`);
    const mismatch = matchPattern(resource, substituted);
    if (mismatch === undefined) return pass(`validation rule '${rule.name}' anyPattern[${index}] passed.`);
    if (mismatch.skip) skips.push(`rule ${rule.name}[${index}] skipped: ${mismatch.message}`);
    else failures.push(`rule ${rule.name}[${index}] failed at path ${mismatch.path}`);
  }
  if (failures.length === 0) return skip(skips.join(' '));
  const message = ruleMessage(rule, document);
  return fail(`validation error: ${message === '' ? '' : `${message.endsWith('.') ? message : `${message}.`} `}${failures.join(' ')}`);
}

function checkDeny(conditions: unknown, rule: CompiledRule, document: Record<string, unknown>, path: string): Outcome {
  const outcome = checkConditions(conditions, scopeOf(document), path);
  const message = ruleMessage(rule, document);
  if (outcome.holds) return fail(message === '' ? `validation error: rule ${rule.name} failed` : message);
  return pass(message === '' ? `validation rule '${rule.name}' passed.` : message);
}

/** The body of a validate rule, after match, context and preconditions. */
export async function runValidate(rule: CompiledRule, document: Record<string, unknown>, environment: EvaluationEnvironment): Promise<Outcome> {
  const spec = rule.validate;
  const object = (document.request as Record<string, unknown>).object;
  const subject = object === null ? (document.request as Record<string, unknown>).oldObject : object;
  if (spec === undefined) return errored('not a validate rule');
  if (spec.deny !== undefined) return checkDeny(spec.deny.conditions, rule, document, `spec.rules[${rule.index}].validate.deny.conditions`);
  if (spec.pattern !== undefined) return checkPatternOn(subject, spec.pattern, rule, document);
  if (spec.anyPattern !== undefined) return checkAnyPattern(subject, spec.anyPattern, rule, document);
  if (spec.foreach !== undefined) return runForeach(spec.foreach, document, { rule, environment, depth: 0, path: `spec.rules[${rule.index}].validate.foreach` });
  return errored(`rule ${rule.name}: nothing to validate`);
}

/** Where a foreach runs: its rule, the environment, the nesting depth (for element0, element1…) and the field path. */
interface ForeachPosition {
  readonly rule: CompiledRule;
  readonly environment: EvaluationEnvironment;
  readonly depth: number;
  readonly path: string;
}

async function runForeach(blocks: readonly ForeachBlock[], document: Record<string, unknown>, position: ForeachPosition): Promise<Outcome> {
  const { rule, environment } = position;
  let applied = 0;
  for (const [blockIndex, block] of blocks.entries()) {
    const path = `${position.path}[${blockIndex}]`;
    const listed = searchExpression(block.list, document);
    const elements = Array.isArray(listed) ? listed : listed === null || listed === undefined ? [] : [listed];
    for (const [index, element] of elements.entries()) {
      const scoped = elementDocument(document, element, index, position.depth);
      await loadContext(block.context ?? [], scoped, environment, `${path}.context`);
      if (block.preconditions !== undefined && !checkConditions(block.preconditions, scopeOf(scoped), `${path}.preconditions`).holds) continue;
      const outcome = await foreachElement(block, element, scoped, { ...position, depth: position.depth + 1, path: `${path}.foreach` });
      if (outcome.status === 'fail' || outcome.status === 'error') return outcome;
      if (outcome.status === 'pass') applied++;
    }
  }
  return applied === 0 ? skip(`rule ${rule.name} skipped: no element of foreach applied`) : pass(`validation rule '${rule.name}' passed.`);
}

async function foreachElement(block: ForeachBlock, element: unknown, document: Record<string, unknown>, nested: ForeachPosition): Promise<Outcome> {
  const { rule } = nested;
  const elementScope = block.elementScope ?? isRecord(element);
  const request = document.request as Record<string, unknown>;
  const target = elementScope ? element : request.object;
  if (block.deny !== undefined) return checkDeny(block.deny.conditions, rule, document, `${nested.path}.deny`);
  if (block.pattern !== undefined) return checkPatternOn(target, block.pattern, rule, document);
  if (block.anyPattern !== undefined) return checkAnyPattern(target, block.anyPattern, rule, document);
  if (block.foreach !== undefined) return runForeach(block.foreach, document, nested);
  return errored(`rule ${rule.name}: a foreach entry needs pattern, anyPattern, deny or foreach`);
}

/** A copy of the document with `element`, `elementIndex` and their depth-numbered forms (`element0`, `elementIndex0`). */
export function elementDocument(document: Record<string, unknown>, element: unknown, index: number, depth: number): Record<string, unknown> {
  return { ...document, element, elementIndex: index, [`element${depth}`]: element, [`elementIndex${depth}`]: index };
}
