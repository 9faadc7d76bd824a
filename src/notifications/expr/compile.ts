/**
 * Trigger conditions (`when`, `oncePer`) in the expr language Argo CD evaluates them with
 * (https://expr-lang.org): parsed by jsep, a kept expression parser, taught expr's word operators (`and`, `or`,
 * `not`, `in`, `not in`, `matches`, `contains`, `startsWith`, `endsWith`), then checked against what the evaluator
 * supports. Nothing is ever run as JavaScript: the syntax tree is walked by evaluate.ts. A construct outside the
 * supported set is a compile error naming it, so a bad trigger stops the add-on at start, not at 3 a.m.
 */
import jsep from 'jsep';
import { evaluate } from './evaluate.js';

/** expr's word and symbol operators jsep lacks, at expr's relative precedence (comparisons bind like `==`). */
const EXPR_BINARY_OPERATORS: readonly (readonly [string, number])[] = [
  ['and', 2], ['or', 1], ['in', 7], ['not in', 7], ['matches', 7], ['contains', 7], ['startsWith', 7], ['endsWith', 7],
];
for (const [operator, precedence] of EXPR_BINARY_OPERATORS) jsep.addBinaryOp(operator, precedence);
jsep.addUnaryOp('not');

/** What the evaluator implements; anything else jsep accepts (bitwise operators, `===`, `this`) is refused. */
export const SUPPORTED_BINARY = new Set([
  '==', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '**', '&&', '||', '??',
  ...EXPR_BINARY_OPERATORS.map(([operator]) => operator),
]);
export const SUPPORTED_UNARY = new Set(['!', 'not', '-', '+']);

export type Node = jsep.Expression;

export interface CompiledExpression {
  readonly source: string;
  /** Evaluates against `env` (`{ app, time, strings… }`); throws an Error naming the failing part. */
  evaluate(env: Readonly<Record<string, unknown>>): unknown;
}

/** The expression failed to parse or uses a construct the evaluator does not support. */
export class ExpressionError extends Error {}

/** Parses and checks `source`; throws ExpressionError saying which construct is unsupported or where parsing failed. */
export function compileExpression(source: string): CompiledExpression {
  let tree: Node;
  try {
    tree = jsep(source);
  } catch (error) {
    throw new ExpressionError(`cannot parse ${JSON.stringify(source)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  checkSupported(tree, source);
  return { source, evaluate: (env) => evaluate(tree, env) };
}

const CHILDREN: Readonly<Record<string, (node: Node) => readonly (Node | null)[]>> = {
  Literal: () => [],
  Identifier: () => [],
  MemberExpression: (node) => [node.object as Node, ...((node.computed as boolean) ? [node.property as Node] : [])],
  CallExpression: (node) => [node.callee as Node, ...(node.arguments as Node[])],
  ArrayExpression: (node) => node.elements as (Node | null)[],
  BinaryExpression: (node) => [node.left as Node, node.right as Node],
  UnaryExpression: (node) => [node.argument as Node],
  ConditionalExpression: (node) => [node.test as Node, node.consequent as Node, node.alternate as Node],
};

function checkSupported(node: Node, source: string): void {
  const children = CHILDREN[node.type];
  if (children === undefined) throw new ExpressionError(`unsupported construct in ${JSON.stringify(source)}: ${describeNode(node)}`);
  if (node.type === 'BinaryExpression' && !SUPPORTED_BINARY.has(node.operator as string)) {
    throw new ExpressionError(`unsupported operator "${node.operator as string}" in ${JSON.stringify(source)}`);
  }
  if (node.type === 'UnaryExpression' && !SUPPORTED_UNARY.has(node.operator as string)) {
    throw new ExpressionError(`unsupported operator "${node.operator as string}" in ${JSON.stringify(source)}`);
  }
  if (node.type === 'Literal' && node.value instanceof RegExp) throw new ExpressionError(`unsupported construct in ${JSON.stringify(source)}: a regular expression literal (use matches "…")`);
  for (const child of children(node)) {
    if (child === null) throw new ExpressionError(`unsupported construct in ${JSON.stringify(source)}: an array hole`);
    checkSupported(child, source);
  }
}

function describeNode(node: Node): string {
  switch (node.type) {
    case 'Compound': return 'two expressions side by side (a missing operator, or an unsupported one such as "|" pipes or closures)';
    case 'ThisExpression': return '"this"';
    case 'SequenceExpression': return 'a comma-separated sequence';
    default: return node.type;
  }
}
