/**
 * Finds a template's use of `.secrets`. Argo CD offers the notifications Secret to templates as `.secrets`;
 * Launchpad does not — a Secret value in a message is exactly the leak notifications must never cause — so a template
 * that reads it is refused at start, naming the action, rather than rendering `<no value>` into every message.
 *
 * The template's own parse tree is walked, so only a real reference counts: `.secrets…` where dot is still the
 * template's data (outside `with`/`range`), or `$.secrets…` anywhere. Text that merely mentions ".secrets" and
 * `.app.secrets` are fine.
 */
import type { ArgNode, Node, PipeNode } from '../gotemplate/ast.js';
import { parseTemplate } from '../gotemplate/parser.js';

const SECRETS = 'secrets';

function argReference(arg: ArgNode, dotIsRoot: boolean): boolean {
  switch (arg.kind) {
    case 'field':
      return dotIsRoot && arg.fields[0] === SECRETS;
    case 'variable':
      return arg.name === '$' && arg.fields[0] === SECRETS;
    case 'chain':
      return argReference(arg.node, dotIsRoot);
    case 'pipe':
      return pipeReference(arg.pipe, dotIsRoot) !== undefined;
    default:
      return false;
  }
}

function pipeReference(pipe: PipeNode | undefined, dotIsRoot: boolean): string | undefined {
  if (pipe === undefined) return undefined;
  return pipe.cmds.some((command) => command.args.some((arg) => argReference(arg, dotIsRoot))) ? pipe.source : undefined;
}

function nodesReference(nodes: readonly Node[] | undefined, dotIsRoot: boolean): string | undefined {
  for (const node of nodes ?? []) {
    const found = nodeReference(node, dotIsRoot);
    if (found !== undefined) return found;
  }
  return undefined;
}

function nodeReference(node: Node, dotIsRoot: boolean): string | undefined {
  switch (node.kind) {
    case 'action':
    case 'template':
      return pipeReference(node.pipe, dotIsRoot);
    case 'if':
      return pipeReference(node.pipe, dotIsRoot) ?? nodesReference(node.list, dotIsRoot) ?? nodesReference(node.elseList, dotIsRoot);
    case 'with':
    case 'range':
      // Inside, dot is the pipeline's value; in the else branch it is unchanged.
      return pipeReference(node.pipe, dotIsRoot) ?? nodesReference(node.list, false) ?? nodesReference(node.elseList, dotIsRoot);
    default:
      return undefined;
  }
}

/** The first action of `text` that reads `.secrets` (its source, e.g. `.secrets.token`), or undefined. */
export function secretsReference(text: string): string | undefined {
  const parsed = parseTemplate(text, () => true);
  // A defined template's dot is whatever the caller passes, so only `$.secrets` is known to be the Secret there.
  return nodesReference(parsed.root, true) ?? [...parsed.defines.values()].map((body) => nodesReference(body, false)).find((found) => found !== undefined);
}
