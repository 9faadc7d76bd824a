/** The parse tree of a Go template, close to text/template/parse's nodes. `pos` is an offset into the text. */
export type Node = TextNode | ActionNode | IfNode | RangeNode | WithNode | TemplateCallNode | BreakNode | ContinueNode;

export interface TextNode { readonly kind: 'text'; readonly pos: number; readonly text: string }
export interface ActionNode { readonly kind: 'action'; readonly pos: number; readonly pipe: PipeNode }
/** `if` and `with` share a shape; `else if`/`else with` are nested in elseList as Go does. */
export interface IfNode { readonly kind: 'if'; readonly pos: number; readonly pipe: PipeNode; readonly list: Node[]; readonly elseList: Node[] | undefined }
export interface WithNode { readonly kind: 'with'; readonly pos: number; readonly pipe: PipeNode; readonly list: Node[]; readonly elseList: Node[] | undefined }
export interface RangeNode { readonly kind: 'range'; readonly pos: number; readonly pipe: PipeNode; readonly list: Node[]; readonly elseList: Node[] | undefined }
export interface TemplateCallNode { readonly kind: 'template'; readonly pos: number; readonly name: string; readonly pipe: PipeNode | undefined }
export interface BreakNode { readonly kind: 'break'; readonly pos: number }
export interface ContinueNode { readonly kind: 'continue'; readonly pos: number }

export interface PipeNode {
  readonly pos: number;
  /** `$x :=` / `$i, $v :=` declares; `$x =` assigns (isAssign). */
  readonly decl: string[];
  readonly isAssign: boolean;
  readonly cmds: CommandNode[];
  /** The source text of the pipeline, to name it in errors. */
  readonly source: string;
}

export interface CommandNode { readonly pos: number; readonly args: ArgNode[]; readonly source: string }

export type ArgNode =
  | { readonly kind: 'field'; readonly pos: number; readonly fields: string[]; readonly source: string }
  | { readonly kind: 'variable'; readonly pos: number; readonly name: string; readonly fields: string[]; readonly source: string }
  | { readonly kind: 'chain'; readonly pos: number; readonly node: ArgNode; readonly fields: string[]; readonly source: string }
  | { readonly kind: 'dot'; readonly pos: number; readonly source: string }
  | { readonly kind: 'nil'; readonly pos: number; readonly source: string }
  | { readonly kind: 'identifier'; readonly pos: number; readonly name: string; readonly source: string }
  | { readonly kind: 'string'; readonly pos: number; readonly value: string; readonly source: string }
  | { readonly kind: 'bool'; readonly pos: number; readonly value: boolean; readonly source: string }
  | { readonly kind: 'number'; readonly pos: number; readonly value: GoNumberLiteral; readonly source: string }
  | { readonly kind: 'pipe'; readonly pos: number; readonly pipe: PipeNode; readonly source: string };

/** A numeric constant: Go keeps it untyped until use; `isInt` says whether it reads as an integer. */
export interface GoNumberLiteral { readonly value: number; readonly isInt: boolean; readonly isChar: boolean }
