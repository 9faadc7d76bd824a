/**
 * Go text/template's parser: actions, control structures (if/else if/else, range/else, with/else with/else,
 * define, template, block, break, continue) and their lexical variable scopes. Like Go it checks at parse time that
 * every function and every variable exists, so a typo fails when the template is loaded, not when it first runs.
 */
import type { ArgNode, CommandNode, IfNode, Node, PipeNode, RangeNode, WithNode } from './ast.js';
import { lex, type Token } from './lexer.js';
import { parseNumber, unquote } from './literals.js';

export class ParseError extends Error {
  constructor(message: string, readonly pos: number) {
    super(message);
  }
}

export interface ParsedTemplate {
  readonly root: Node[];
  /** `{{define}}` and `{{block}}` bodies by name. */
  readonly defines: Map<string, Node[]>;
}

type EndMarker = { readonly kind: 'end' | 'else'; readonly pos: number } | { readonly kind: 'eof'; readonly pos: number };

type ControlContext = 'if' | 'range' | 'with';

function isMarker(node: Node | EndMarker): node is EndMarker {
  return node.kind === 'end' || node.kind === 'else' || node.kind === 'eof';
}

export function parseTemplate(text: string, hasFunction: (name: string) => boolean): ParsedTemplate {
  return new Parser(text, lex(text), hasFunction).parseRoot();
}

class Parser {
  private index = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  readonly defines = new Map<string, Node[]>();

  constructor(private readonly text: string, private readonly tokens: Token[], private readonly hasFunction: (name: string) => boolean) {}

  parseRoot(): ParsedTemplate {
    const root: Node[] = [];
    for (;;) {
      if (this.peek().type === 'eof') return { root, defines: this.defines };
      if (this.peek().type === 'left' && this.peekAfterLeft().value === 'define' && this.peekAfterLeft().type === 'keyword') {
        this.parseDefine();
        continue;
      }
      const node = this.textOrAction();
      if (isMarker(node)) throw new ParseError(`unexpected {{${node.kind}}}`, node.pos);
      root.push(node);
    }
  }

  // ---- tokens

  private peek(): Token {
    return this.tokens[this.index] ?? this.eof();
  }

  private eof(): Token {
    return { type: 'eof', value: '', pos: this.text.length };
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length) this.index++;
    return token;
  }

  private nextNonSpace(): Token {
    let token = this.next();
    while (token.type === 'space') token = this.next();
    return token;
  }

  private peekNonSpace(): Token {
    const saved = this.index;
    const token = this.nextNonSpace();
    this.index = saved;
    return token;
  }

  private peekAfterLeft(): Token {
    const saved = this.index;
    this.next();
    const token = this.nextNonSpace();
    this.index = saved;
    return token;
  }

  private unexpected(token: Token, context: string): never {
    if (token.type === 'eof') throw new ParseError(`unexpected EOF`, token.pos);
    const shown = token.type === 'right' ? '"}}"' : token.type === 'keyword' ? `<${token.value}>` : `"${token.value}"`;
    throw new ParseError(`unexpected ${shown} in ${context}`, token.pos);
  }

  private expectRight(context: string): void {
    const token = this.nextNonSpace();
    if (token.type !== 'right') this.unexpected(token, context);
  }

  // ---- lists and actions

  /** Nodes until `{{end}}`/`{{else}}` (returned as the marker) or EOF. */
  private itemList(): { list: Node[]; marker: EndMarker } {
    const list: Node[] = [];
    for (;;) {
      if (this.peek().type === 'eof') throw new ParseError('unexpected EOF', this.text.length);
      const node = this.textOrAction();
      if (isMarker(node)) return { list, marker: node };
      list.push(node);
    }
  }

  private textOrAction(): Node | EndMarker {
    const token = this.next();
    if (token.type === 'text') return { kind: 'text', pos: token.pos, text: token.value };
    if (token.type === 'left') return this.action(token);
    return this.unexpected(token, 'input');
  }

  private action(left: Token): Node | EndMarker {
    const token = this.peekNonSpace();
    if (token.type === 'keyword') {
      this.nextNonSpace();
      switch (token.value) {
        case 'if': return this.control('if', token.pos);
        case 'range': return this.control('range', token.pos);
        case 'with': return this.control('with', token.pos);
        case 'else': return this.elseMarker(token.pos);
        case 'end':
          this.expectRight('end');
          return { kind: 'end', pos: token.pos };
        case 'template': return this.templateCall(token.pos);
        case 'block': return this.block(token.pos);
        case 'break':
        case 'continue': return this.loopControl(token);
        default: return this.unexpected(token, 'command');
      }
    }
    const pipe = this.pipeline('command', 'right');
    return { kind: 'action', pos: left.pos, pipe };
  }

  private elseMarker(pos: number): EndMarker {
    // `{{else if …}}` / `{{else with …}}`: leave the keyword for control() to read as a nested if/with.
    const next = this.peekNonSpace();
    if (next.type === 'keyword' && (next.value === 'if' || next.value === 'with')) return { kind: 'else', pos };
    this.expectRight('else');
    return { kind: 'else', pos };
  }

  private loopControl(token: Token): Node {
    this.expectRight(token.value);
    if (this.rangeDepth === 0) throw new ParseError(`{{${token.value}}} outside {{range}}`, token.pos);
    return { kind: token.value === 'break' ? 'break' : 'continue', pos: token.pos };
  }

  private control(context: ControlContext, pos: number): IfNode | RangeNode | WithNode {
    const savedVars = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'right');
      if (context === 'range') this.rangeDepth++;
      let body: { list: Node[]; marker: EndMarker };
      try {
        body = this.itemList();
      } finally {
        if (context === 'range') this.rangeDepth--;
      }
      let elseList: Node[] | undefined;
      if (body.marker.kind === 'else') elseList = this.elseBranch(context);
      return { kind: context, pos, pipe, list: body.list, elseList };
    } finally {
      this.vars.length = savedVars;
    }
  }

  private elseBranch(context: ControlContext): Node[] {
    const next = this.peekNonSpace();
    if ((context === 'if' || context === 'with') && next.type === 'keyword' && next.value === context) {
      this.nextNonSpace();
      // {{if a}}x{{else if b}}y{{end}} is {{if a}}x{{else}}{{if b}}y{{end}}{{end}}: the nested one eats the {{end}}.
      return [this.control(context, next.pos)];
    }
    const rest = this.itemList();
    if (rest.marker.kind !== 'end') throw new ParseError('expected end; found {{else}}', rest.marker.pos);
    return rest.list;
  }

  private templateName(context: string): string {
    const token = this.nextNonSpace();
    if (token.type !== 'string' && token.type !== 'rawString') this.unexpected(token, context);
    return unquote(token.value);
  }

  private templateCall(pos: number): Node {
    const name = this.templateName('template clause');
    const pipe = this.peekNonSpace().type === 'right' ? (this.nextNonSpace(), undefined) : this.pipeline('template clause', 'right');
    return { kind: 'template', pos, name, pipe };
  }

  private block(pos: number): Node {
    const name = this.templateName('block clause');
    const pipe = this.pipeline('block clause', 'right');
    const savedVars = this.vars;
    this.vars = ['$'];
    const body = this.itemList();
    this.vars = savedVars;
    if (body.marker.kind !== 'end') throw new ParseError('unexpected {{else}} in block clause', body.marker.pos);
    this.addDefine(name, body.list, pos);
    return { kind: 'template', pos, name, pipe };
  }

  private parseDefine(): void {
    this.next(); // {{
    const keyword = this.nextNonSpace();
    const name = this.templateName('define clause');
    this.expectRight('define clause');
    const savedVars = this.vars;
    this.vars = ['$'];
    const body = this.itemList();
    this.vars = savedVars;
    if (body.marker.kind !== 'end') throw new ParseError('unexpected {{else}} in define clause', body.marker.pos);
    this.addDefine(name, body.list, keyword.pos);
  }

  private addDefine(name: string, list: Node[], pos: number): void {
    // Go lets an empty (whitespace-only) definition be replaced, and rejects a second non-empty one.
    const existing = this.defines.get(name);
    const isEmpty = (nodes: Node[]): boolean => nodes.every((n) => n.kind === 'text' && n.text.trim() === '');
    if (existing && !isEmpty(existing) && !isEmpty(list)) throw new ParseError(`template: multiple definition of template "${name}"`, pos);
    if (!existing || !isEmpty(list)) this.defines.set(name, list);
  }

  // ---- pipelines

  private pipeline(context: string, end: 'right' | 'rightParen'): PipeNode {
    const start = this.peekNonSpace().pos;
    const { decl, isAssign } = this.declarations(context);
    const cmds: CommandNode[] = [];
    for (;;) {
      const token = this.peekNonSpace();
      if (token.type === end) {
        this.nextNonSpace();
        const pipe: PipeNode = { pos: start, decl, isAssign, cmds, source: this.text.slice(start, token.pos).trim() };
        this.checkPipeline(pipe, context, token.pos);
        return pipe;
      }
      if (!['bool', 'char', 'dot', 'field', 'identifier', 'number', 'nil', 'rawString', 'string', 'variable', 'leftParen'].includes(token.type)) {
        this.unexpected(this.nextNonSpace(), context);
      }
      cmds.push(this.command());
    }
  }

  private declarations(context: string): { decl: string[]; isAssign: boolean } {
    const decl: string[] = [];
    for (;;) {
      const saved = this.index;
      const variable = this.nextNonSpace();
      if (variable.type !== 'variable') {
        this.index = saved;
        return { decl, isAssign: false };
      }
      const after = this.peekNonSpace();
      if (after.type === 'declare' || after.type === 'assign') {
        this.nextNonSpace();
        decl.push(variable.value);
        if (after.type === 'assign' && !this.vars.includes(variable.value)) throw new ParseError(`undefined variable "${variable.value}"`, variable.pos);
        this.vars.push(variable.value);
        return { decl, isAssign: after.type === 'assign' };
      }
      if (after.type === 'comma') {
        this.nextNonSpace();
        decl.push(variable.value);
        this.vars.push(variable.value);
        if (context !== 'range' || decl.length >= 2) throw new ParseError(`too many declarations in ${context}`, after.pos);
        if (this.peekNonSpace().type !== 'variable') throw new ParseError('range can only initialize variables', after.pos);
        continue;
      }
      this.index = saved;
      return { decl, isAssign: false };
    }
  }

  private checkPipeline(pipe: PipeNode, context: string, pos: number): void {
    if (pipe.cmds.length === 0) throw new ParseError(`missing value for ${context}`, pos);
    pipe.cmds.slice(1).forEach((cmd, i) => {
      const first = cmd.args[0];
      if (first && ['bool', 'dot', 'nil', 'number', 'string'].includes(first.kind)) {
        throw new ParseError(`non executable command in pipeline stage ${i + 2}`, cmd.pos);
      }
    });
  }

  private command(): CommandNode {
    const start = this.peekNonSpace().pos;
    const args: ArgNode[] = [];
    for (;;) {
      this.skipSpace();
      const operand = this.operand();
      if (operand) args.push(operand);
      const token = this.next();
      if (token.type === 'space') continue;
      if (token.type === 'right' || token.type === 'rightParen') {
        this.index--;
      } else if (token.type !== 'pipe') {
        this.unexpected(token, 'operand');
      }
      break;
    }
    if (args.length === 0) throw new ParseError('empty command', start);
    const last = args[args.length - 1];
    const end = last ? last.pos + last.source.length : start;
    return { pos: start, args, source: this.text.slice(start, end) };
  }

  private skipSpace(): void {
    while (this.peek().type === 'space') this.next();
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (!node || this.peek().type !== 'field') return node;
    const fields: string[] = [];
    let end = node.pos + node.source.length;
    while (this.peek().type === 'field') {
      const field = this.next();
      fields.push(field.value.slice(1));
      end = field.pos + field.value.length;
    }
    const source = this.text.slice(node.pos, end);
    switch (node.kind) {
      case 'field': return { ...node, fields: [...node.fields, ...fields], source };
      case 'variable': return { ...node, fields: [...node.fields, ...fields], source };
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        throw new ParseError(`unexpected . after term "${node.source}"`, node.pos);
      default: return { kind: 'chain', pos: node.pos, node, fields, source };
    }
  }

  // eslint-disable-next-line complexity
  private term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    const { pos, value } = token;
    switch (token.type) {
      case 'identifier':
        if (!this.hasFunction(value)) throw new ParseError(`function "${value}" not defined`, pos);
        return { kind: 'identifier', pos, name: value, source: value };
      case 'dot': return { kind: 'dot', pos, source: '.' };
      case 'nil': return { kind: 'nil', pos, source: 'nil' };
      case 'variable':
        if (!this.vars.includes(value)) throw new ParseError(`undefined variable "${value}"`, pos);
        return { kind: 'variable', pos, name: value, fields: [], source: value };
      case 'field': return { kind: 'field', pos, fields: [value.slice(1)], source: value };
      case 'bool': return { kind: 'bool', pos, value: value === 'true', source: value };
      case 'char':
      case 'number': return { kind: 'number', pos, value: this.number(token), source: value };
      case 'string':
      case 'rawString': return { kind: 'string', pos, value: this.string(token), source: value };
      case 'leftParen': {
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        const end = this.tokens[this.index - 1]?.pos ?? pos;
        return { kind: 'pipe', pos, pipe, source: this.text.slice(pos, end + 1) };
      }
      default:
        this.index--;
        return undefined;
    }
  }

  private number(token: Token): ReturnType<typeof parseNumber> {
    try {
      return parseNumber(token.value, token.type === 'char');
    } catch (error) {
      throw new ParseError((error as Error).message, token.pos);
    }
  }

  private string(token: Token): string {
    try {
      return unquote(token.value);
    } catch (error) {
      throw new ParseError((error as Error).message, token.pos);
    }
  }
}
