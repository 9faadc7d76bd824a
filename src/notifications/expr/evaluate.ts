/**
 * Walks a checked jsep tree with expr's semantics: `nil` for missing map keys, an error for a field of nil (unless
 * `?.`, which ends the whole chain with nil), `==` across numbers and strings as expr compares them, short-circuit
 * `and`/`or`, `in` over arrays and map keys. Only own data properties and the helpers in the environment are
 * reachable: no prototype, constructor or JavaScript global ever is.
 */
import type jsep from 'jsep';
import { BUILTINS } from './builtins.js';
import { DURATION_METHODS, GoDuration, GoTime, TIME_METHODS, describeValue } from './time.js';

type Node = jsep.Expression;
type Env = Readonly<Record<string, unknown>>;

/** A `?.` met nil: the rest of the member chain is skipped and the chain's value is nil. */
const NIL_CHAIN = Symbol('nil chain');

export function evaluate(node: Node, env: Env): unknown {
  const value = evaluateChain(node, env);
  return value === NIL_CHAIN ? undefined : value;
}

function evaluateChain(node: Node, env: Env): unknown {
  switch (node.type) {
    case 'Literal': return node.value;
    case 'Identifier': return identifier(node.name as string, env);
    case 'MemberExpression': return member(node, env);
    case 'CallExpression': return call(node, env);
    case 'ArrayExpression': return (node.elements as Node[]).map((element) => evaluate(element, env));
    case 'UnaryExpression': return unary(node.operator as string, evaluate(node.argument as Node, env));
    case 'BinaryExpression': return binary(node, env);
    case 'ConditionalExpression': return truthy(evaluate(node.test as Node, env), '?:') ? evaluate(node.consequent as Node, env) : evaluate(node.alternate as Node, env);
    default: throw new Error(`unsupported construct ${node.type}`);
  }
}

function identifier(name: string, env: Env): unknown {
  if (name === 'nil') return undefined;
  if (Object.hasOwn(env, name)) return env[name];
  if (Object.hasOwn(BUILTINS, name)) return BUILTINS[name];
  throw new Error(`unknown name "${name}"`);
}

function propertyName(node: Node, env: Env): unknown {
  return (node.computed as boolean) ? evaluate(node.property as Node, env) : (node.property as Node).name;
}

function member(node: Node, env: Env): unknown {
  const object = evaluateChain(node.object as Node, env);
  if (object === NIL_CHAIN) return NIL_CHAIN;
  if ((object === undefined || object === null) && node.optional === true) return NIL_CHAIN;
  return fetch(object, propertyName(node, env));
}

/** `object[key]` as expr reads it; methods of times and durations come back bound, ready for a call. */
function fetch(object: unknown, key: unknown): unknown {
  if (object === undefined || object === null) throw new Error(`cannot fetch ${String(key)} from nil`);
  if (object instanceof GoTime || object instanceof GoDuration) return method(object, key);
  if (Array.isArray(object) || typeof object === 'string') return indexed(object, key);
  if (typeof object !== 'object' || typeof key !== 'string') throw new Error(`cannot fetch ${String(key)} from ${describeValue(object)}`);
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

function method(object: GoTime | GoDuration, key: unknown): unknown {
  const allowed = object instanceof GoTime ? TIME_METHODS : DURATION_METHODS;
  if (typeof key !== 'string' || !allowed.has(key)) throw new Error(`${describeValue(object)} has no method ${String(key)}`);
  const fn = (object as unknown as Record<string, (...args: unknown[]) => unknown>)[key];
  return fn?.bind(object);
}

function indexed(list: readonly unknown[] | string, key: unknown): unknown {
  if (typeof key !== 'number' || !Number.isInteger(key)) throw new Error(`cannot index ${describeValue(list)} with ${describeValue(key)}`);
  const index = key < 0 ? list.length + key : key;
  if (index < 0 || index >= list.length) throw new Error(`index out of range: ${key} (length ${list.length})`);
  return list[index];
}

function call(node: Node, env: Env): unknown {
  const callee = evaluateChain(node.callee as Node, env);
  if (callee === NIL_CHAIN) return NIL_CHAIN;
  if (typeof callee !== 'function') throw new Error(`${describeCallee(node.callee as Node)} is not a function`);
  const args = (node.arguments as Node[]).map((argument) => evaluate(argument, env));
  return (callee as (...values: unknown[]) => unknown)(...args);
}

function describeCallee(node: Node): string {
  if (node.type === 'Identifier') return node.name as string;
  if (node.type === 'MemberExpression' && node.computed !== true) return `${describeCallee(node.object as Node)}.${(node.property as Node).name as string}`;
  return 'the callee';
}

function unary(operator: string, value: unknown): unknown {
  if (operator === '!' || operator === 'not') return !truthy(value, operator);
  const number = asNumber(value, operator);
  return operator === '-' ? -number : number;
}

export function truthy(value: unknown, operator: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return false;
  throw new Error(`${operator} needs a bool, got ${describeValue(value)}`);
}

function asNumber(value: unknown, operator: string): number {
  if (typeof value === 'number') return value;
  throw new Error(`${operator} needs a number, got ${describeValue(value)}`);
}

function binary(node: Node, env: Env): unknown {
  const operator = node.operator as string;
  const left = evaluate(node.left as Node, env);
  const lazy = LAZY[operator];
  if (lazy !== undefined) return lazy(left, () => evaluate(node.right as Node, env));
  const strict = STRICT[operator];
  if (strict === undefined) throw new Error(`unsupported operator ${operator}`);
  return strict(left, evaluate(node.right as Node, env));
}

/** Operators whose right side is evaluated only when needed. */
const LAZY: Readonly<Record<string, (left: unknown, right: () => unknown) => unknown>> = {
  '&&': (left, right) => truthy(left, 'and') && truthy(right(), 'and'),
  and: (left, right) => truthy(left, 'and') && truthy(right(), 'and'),
  '||': (left, right) => truthy(left, 'or') || truthy(right(), 'or'),
  or: (left, right) => truthy(left, 'or') || truthy(right(), 'or'),
  '??': (left, right) => (left === undefined || left === null ? right() : left),
};

const STRICT: Readonly<Record<string, (left: unknown, right: unknown) => unknown>> = {
  '==': (left, right) => equal(left, right),
  '!=': (left, right) => !equal(left, right),
  '<': (left, right) => compare(left, right, '<') < 0,
  '>': (left, right) => compare(left, right, '>') > 0,
  '<=': (left, right) => compare(left, right, '<=') <= 0,
  '>=': (left, right) => compare(left, right, '>=') >= 0,
  '+': plus,
  '-': minus,
  '*': times,
  '/': (left, right) => asNumber(left, '/') / asNumber(right, '/'),
  '%': (left, right) => asNumber(left, '%') % asNumber(right, '%'),
  '**': (left, right) => asNumber(left, '**') ** asNumber(right, '**'),
  in: (left, right) => contains(right, left),
  'not in': (left, right) => !contains(right, left),
  matches: (left, right) => new RegExp(asString(right, 'matches')).test(asString(left, 'matches')),
  contains: (left, right) => asString(left, 'contains').includes(asString(right, 'contains')),
  startsWith: (left, right) => asString(left, 'startsWith').startsWith(asString(right, 'startsWith')),
  endsWith: (left, right) => asString(left, 'endsWith').endsWith(asString(right, 'endsWith')),
};

function asString(value: unknown, operator: string): string {
  if (typeof value === 'string') return value;
  throw new Error(`${operator} needs a string, got ${describeValue(value)}`);
}

function plus(left: unknown, right: unknown): unknown {
  if (typeof left === 'string' && typeof right === 'string') return left + right;
  if (left instanceof GoTime && right instanceof GoDuration) return left.Add(right);
  if (left instanceof GoDuration && right instanceof GoDuration) return new GoDuration(left.nanoseconds + right.nanoseconds);
  return asNumber(left, '+') + asNumber(right, '+');
}

/** Numbers multiply; a duration times a number scales it (`time.Minute * 5`), as Go's int64 Duration does. */
function times(left: unknown, right: unknown): unknown {
  if (left instanceof GoDuration) return new GoDuration(left.nanoseconds * asNumber(right, '*'));
  if (right instanceof GoDuration) return new GoDuration(right.nanoseconds * asNumber(left, '*'));
  return asNumber(left, '*') * asNumber(right, '*');
}

function minus(left: unknown, right: unknown): unknown {
  if (left instanceof GoTime && right instanceof GoTime) return left.Sub(right);
  if (left instanceof GoTime && right instanceof GoDuration) return new GoTime(left.milliseconds - right.nanoseconds / 1e6);
  return asNumber(left, '-') - asNumber(right, '-');
}

/** `x in list` (an element equal to x) or `key in map`. */
function contains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) return container.some((element) => equal(element, item));
  if (container !== null && typeof container === 'object' && !(container instanceof GoTime) && !(container instanceof GoDuration)) {
    return typeof item === 'string' && Object.hasOwn(container, item);
  }
  if (container === undefined || container === null) return false;
  throw new Error(`in needs an array or a map on its right, got ${describeValue(container)}`);
}

export function equal(left: unknown, right: unknown): boolean {
  const leftNil = left === undefined || left === null;
  const rightNil = right === undefined || right === null;
  if (leftNil || rightNil) return leftNil && rightNil;
  if (left instanceof GoTime && right instanceof GoTime) return left.milliseconds === right.milliseconds;
  if (left instanceof GoDuration && right instanceof GoDuration) return left.nanoseconds === right.nanoseconds;
  if (typeof left !== 'object' || typeof right !== 'object') return left === right;
  return JSON.stringify(left) === JSON.stringify(right);
}

function compare(left: unknown, right: unknown, operator: string): number {
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  if (left instanceof GoTime && right instanceof GoTime) return left.milliseconds - right.milliseconds;
  if (left instanceof GoDuration && right instanceof GoDuration) return left.nanoseconds - right.nanoseconds;
  throw new Error(`${operator} cannot compare ${describeValue(left)} with ${describeValue(right)}`);
}
