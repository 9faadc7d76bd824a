/**
 * JMESPath as Kyverno evaluates it: the JMESPath Community edition (Kyverno uses its Go implementation) plus Kyverno's
 * custom functions (./functions/*.ts). Expressions are compiled once and cached; unknown functions are reported when a
 * policy is loaded, not when it first runs.
 */
import { compile, isRegistered, TreeInterpreter } from '@jmespath-community/jmespath';
import type { JSONValue } from '@jmespath-community/jmespath';
import { registerKyvernoFunctions } from './functions/index.js';

type Node = ReturnType<typeof compile>;

registerKyvernoFunctions();

const compiled = new Map<string, Node>();

/** Parses an expression; throws an Error whose message says what is wrong (syntax, unknown function). */
export function compileExpression(expression: string): Node {
  let node = compiled.get(expression);
  if (node === undefined) {
    try {
      node = compile(expression);
    } catch (error) {
      throw new Error(`JMESPath syntax error in "${expression}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const unknown = unknownFunctions(node);
    if (unknown.length > 0) throw new Error(`unknown JMESPath function ${unknown.map((name) => `${name}()`).join(', ')} in "${expression}"`);
    if (compiled.size > 20_000) compiled.clear();
    compiled.set(expression, node);
  }
  return node;
}

/** Evaluates an expression against data; throws on type errors (a function given the wrong type). */
export function searchExpression(expression: string, data: unknown): unknown {
  const node = compileExpression(expression);
  return TreeInterpreter.search(node, data as JSONValue);
}

function unknownFunctions(node: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (record.type === 'Function' && typeof record.name === 'string' && !isRegistered(record.name)) found.push(record.name);
    for (const child of Object.values(record)) visit(child);
  };
  visit(node);
  return found;
}
