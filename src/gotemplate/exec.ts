/**
 * Runs a parsed template with Go's semantics: field access on maps (missingkey modes), nil and missing values,
 * variables and their scopes, if/with/range (maps in sorted key order, integers, break/continue), named templates,
 * and function calls with the pipeline's value passed last. Output is collected and returned only when the whole
 * template succeeded, so a failure never yields a half-rendered message or manifest.
 */
import type { ArgNode, CommandNode, Node, PipeNode } from './ast.js';
import { GoFunctionError, GoTemplateError, positionOf } from './errors.js';
import type { GoTemplateFunction } from './types.js';
import { formatGoValue, isPlainMap, isTrue, printTemplateValue } from './values.js';

export type MissingKeyMode = 'default' | 'invalid' | 'zero' | 'error';

export interface ExecContext {
  readonly name: string;
  readonly text: string;
  readonly defines: ReadonlyMap<string, Node[]>;
  readonly functions: Readonly<Record<string, GoTemplateFunction>>;
  readonly missingKey: MissingKeyMode;
}

/** Go's limit is 100,000 nested template calls; a JavaScript stack runs out well before that. */
const MAX_TEMPLATE_DEPTH = 1000;
/** No value to pass to the next command (Go's missingVal). */
const NO_FINAL = Symbol('no final value');
type Final = unknown;
/** The rest of a command (its arguments after the first word) and the previous command's value, if any. */
interface Call { readonly args: readonly ArgNode[]; readonly final: Final }

/** {{break}} and {{continue}} unwind to the enclosing range as exceptions (Go panics with walkBreak likewise). */
class LoopSignal extends Error {}
const BREAK = new LoopSignal('break');
const CONTINUE = new LoopSignal('continue');

interface Variable { readonly name: string; value: unknown }

export function execute(context: ExecContext, root: Node[], data: unknown): string {
  const state = new State(context, data);
  state.walk(data, root);
  return state.output.join('');
}

class State {
  readonly output: string[] = [];
  private vars: Variable[];
  private depth = 0;
  private at: { pos: number; source: string } = { pos: 0, source: '' };

  constructor(private readonly context: ExecContext, data: unknown) {
    this.vars = [{ name: '$', value: data }];
  }

  error(detail: string, cause?: unknown): never {
    const position = positionOf(this.context.text, this.at.pos);
    const where = this.at.source === '' ? '' : ` at <${this.at.source}>`;
    throw new GoTemplateError(this.context.name, position, `executing "${this.context.name}"${where}: ${detail}`, cause === undefined ? undefined : { cause });
  }

  private setAt(node: { pos: number; source?: string }): void {
    this.at = { pos: node.pos, source: node.source ?? '' };
  }

  walk(dot: unknown, nodes: readonly Node[]): void {
    for (const node of nodes) this.walkNode(dot, node);
  }

  private walkNode(dot: unknown, node: Node): void {
    switch (node.kind) {
      case 'text': this.output.push(node.text); return;
      case 'action': {
        this.setAt(node.pipe);
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.output.push(printTemplateValue(value));
        return;
      }
      case 'if':
      case 'with': this.walkIfOrWith(dot, node); return;
      case 'range': this.walkRange(dot, node); return;
      case 'template': this.walkTemplate(dot, node); return;
      case 'break': throw BREAK;
      case 'continue': throw CONTINUE;
    }
  }

  private walkIfOrWith(dot: unknown, node: Extract<Node, { kind: 'if' | 'with' }>): void {
    const mark = this.vars.length;
    try {
      const value = this.evalPipeline(dot, node.pipe);
      if (isTrue(value)) this.walk(node.kind === 'with' ? value : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: unknown, node: Extract<Node, { kind: 'range' }>): void {
    const outer = this.vars.length;
    try {
      this.setAt(node.pipe);
      const value = this.evalPipeline(dot, node.pipe);
      const entries = this.rangeEntries(value, node.pipe);
      if (entries.length === 0) {
        if (node.elseList) this.walk(dot, node.elseList);
        return;
      }
      const mark = this.vars.length;
      for (const [index, element] of entries) {
        this.assignRangeVariables(node.pipe, index, element);
        try {
          this.walk(element, node.list);
        } catch (signal) {
          if (signal === BREAK) break;
          if (signal !== CONTINUE) throw signal;
        } finally {
          this.vars.length = mark;
        }
      }
    } finally {
      this.vars.length = outer;
    }
  }

  private rangeEntries(value: unknown, pipe: PipeNode): Array<[unknown, unknown]> {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value.map((element, index) => [index, element]);
    if (isPlainMap(value)) return Object.keys(value).sort().map((key) => [key, value[key]]);
    if (typeof value === 'number' && Number.isInteger(value)) {
      if (pipe.decl.length > 1) this.error(`can't use ${value} to iterate over more than one variable`);
      return Array.from({ length: Math.max(0, value) }, (_, i) => [i, i]);
    }
    return this.error(`range can't iterate over ${formatGoValue(value)}`);
  }

  private assignRangeVariables(pipe: PipeNode, index: unknown, element: unknown): void {
    const [first, second] = pipe.decl;
    if (first === undefined) return;
    if (pipe.isAssign) {
      this.setVar(first, second === undefined ? element : index);
      if (second !== undefined) this.setVar(second, element);
      return;
    }
    // The pipeline pushed the declared variables; the last one is the element, the one before it the index.
    const top = this.vars[this.vars.length - 1];
    if (top) top.value = element;
    const below = this.vars[this.vars.length - 2];
    if (second !== undefined && below) below.value = index;
  }

  private walkTemplate(dot: unknown, node: Extract<Node, { kind: 'template' }>): void {
    this.setAt({ pos: node.pos, source: `template "${node.name}"` });
    const body = this.context.defines.get(node.name);
    if (!body) this.error(`template "${node.name}" not defined`);
    const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
    if (this.depth >= MAX_TEMPLATE_DEPTH) this.error(`exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
    const savedVars = this.vars;
    this.depth++;
    this.vars = [{ name: '$', value: newDot }];
    try {
      this.walk(newDot, body);
    } finally {
      this.vars = savedVars;
      this.depth--;
    }
  }

  // ---- variables

  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const variable = this.vars[i];
      if (variable?.name === name) {
        variable.value = value;
        return;
      }
    }
    this.error(`undefined variable: ${name}`);
  }

  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const variable = this.vars[i];
      if (variable?.name === name) return variable.value;
    }
    return this.error(`undefined variable: ${name}`);
  }

  // ---- pipelines and commands

  evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    let value: unknown = NO_FINAL;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, value);
      else this.vars.push({ name, value });
    }
    return value;
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const [first] = cmd.args;
    if (!first) return this.error('empty command');
    this.setAt(first);
    switch (first.kind) {
      case 'field': return this.evalFieldChain(dot, dot, first, { args: cmd.args, final });
      case 'chain': return this.evalChain(dot, first, cmd.args, final);
      case 'identifier': return this.evalFunction(dot, first, { args: cmd.args, final });
      case 'variable': return this.evalVariable(dot, first, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first.pipe);
      case 'nil': return this.error('nil is not a command');
      default:
        this.notAFunction(cmd.args, final);
        return this.literal(dot, first);
    }
  }

  private literal(dot: unknown, node: Extract<ArgNode, { kind: 'dot' | 'bool' | 'number' | 'string' }>): unknown {
    switch (node.kind) {
      case 'dot': return dot;
      case 'bool': return node.value;
      case 'string': return node.value;
      case 'number': return node.value.value;
    }
  }

  private notAFunction(args: readonly ArgNode[], final: Final): void {
    const [first] = args;
    if (args.length > 1 || final !== NO_FINAL) this.error(`can't give argument to non-function ${first?.source ?? ''}`);
  }

  private evalVariable(dot: unknown, node: Extract<ArgNode, { kind: 'variable' }>, args: readonly ArgNode[], final: Final): unknown {
    const value = this.varValue(node.name);
    if (node.fields.length === 0) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, node, { args, final });
  }

  private evalChain(dot: unknown, node: Extract<ArgNode, { kind: 'chain' }>, args: readonly ArgNode[], final: Final): unknown {
    if (node.node.kind === 'nil') this.error(`indirection through explicit nil in ${node.source}`);
    const receiver = this.evalArg(dot, node.node);
    return this.evalFieldChain(dot, receiver, node, { args, final });
  }

  private evalFieldChain(dot: unknown, receiver: unknown, node: ArgNode & { fields: readonly string[] }, call: Call): unknown {
    let current = receiver;
    const { fields } = node;
    const last = fields.length - 1;
    for (let i = 0; i < last; i++) current = this.evalField(dot, fields[i] ?? '', current, { args: [], final: NO_FINAL });
    return this.evalField(dot, fields[last] ?? '', current, { args: call.args.slice(1), final: call.final }, node);
  }

  // The cases follow Go's evalField: nil data, nil pointer, map entry (with missingkey), method, or no such field.
  // eslint-disable-next-line max-params -- Go's evalField: dot, field name, receiver, the call, the node for errors
  private evalField(dot: unknown, name: string, receiver: unknown, { args, final }: Call, node?: ArgNode): unknown {
    if (node) this.setAt(node);
    const hasArgs = args.length > 0 || final !== NO_FINAL;
    if (receiver === undefined) {
      if (this.context.missingKey === 'error') this.error(`nil data; no entry for key "${name}"`);
      return undefined;
    }
    if (receiver === null) return this.error(`nil pointer evaluating interface {}.${name}`);
    if (isPlainMap(receiver)) {
      if (hasArgs) this.error(`${name} is not a method but has arguments`);
      const value = Object.hasOwn(receiver, name) ? receiver[name] : undefined;
      if (value === undefined && this.context.missingKey === 'error') this.error(`map has no entry for key "${name}"`);
      return value;
    }
    const method: unknown = typeof receiver === 'object' ? (receiver as Record<string, unknown>)[name] : undefined;
    if (typeof method === 'function') {
      const argv = args.map((arg) => this.evalArg(dot, arg));
      if (final !== NO_FINAL) argv.push(final);
      return this.call(name, (...callArgs: unknown[]) => (method as GoTemplateFunction).apply(receiver, callArgs), argv);
    }
    return this.error(`can't evaluate field ${name} in type ${goKind(receiver)}`);
  }

  private evalFunction(dot: unknown, node: Extract<ArgNode, { kind: 'identifier' }>, { args, final }: Call): unknown {
    const { name } = node;
    this.setAt(node);
    if (name === 'and' || name === 'or') return this.evalAndOr(dot, name, args.slice(1), final);
    const fn = this.context.functions[name];
    if (!fn) return this.error(`"${name}" is not a defined function`);
    const argv = args.slice(1).map((arg) => this.evalArg(dot, arg));
    if (final !== NO_FINAL) argv.push(final);
    this.setAt(node);
    return this.call(name, fn, argv);
  }

  /** `and`/`or` evaluate their arguments only until the result is known (Go 1.18+). */
  private evalAndOr(dot: unknown, name: 'and' | 'or', args: readonly ArgNode[], final: Final): unknown {
    const count = args.length + (final === NO_FINAL ? 0 : 1);
    if (count === 0) this.error(`wrong number of args for ${name}: want at least 1 got 0`);
    let value: unknown;
    for (let i = 0; i < count; i++) {
      const arg = args[i];
      value = arg ? this.evalArg(dot, arg) : final;
      if (isTrue(value) === (name === 'or')) return value;
    }
    return value;
  }

  private call(name: string, fn: GoTemplateFunction, argv: unknown[]): unknown {
    try {
      return fn(...argv);
    } catch (error) {
      if (error instanceof GoTemplateError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof GoFunctionError && error.isArgumentError) return this.error(message, error);
      return this.error(`error calling ${name}: ${message}`, error);
    }
  }

  private evalArg(dot: unknown, arg: ArgNode): unknown {
    this.setAt(arg);
    switch (arg.kind) {
      case 'dot': return dot;
      case 'nil': return null;
      case 'field': return this.evalFieldChain(dot, dot, arg, { args: [arg], final: NO_FINAL });
      case 'variable': return this.evalVariable(dot, arg, [arg], NO_FINAL);
      case 'pipe': return this.evalPipeline(dot, arg.pipe);
      case 'identifier': return this.evalFunction(dot, arg, { args: [arg], final: NO_FINAL });
      case 'chain': return this.evalChain(dot, arg, [arg], NO_FINAL);
      default: return this.literal(dot, arg);
    }
  }
}

function goKind(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return '[]interface {}';
  if (value instanceof Date) return 'time.Time';
  return typeof value;
}
