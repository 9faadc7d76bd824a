/**
 * Checks on a parsed YAML document's syntax tree, before it is turned into values: duplicate keys (in linear time —
 * the `yaml` package's own check is quadratic, which made a 100,000-key ConfigMap take minutes), keys per mapping
 * and nesting depth against the input limits. Iterative, so a deep document cannot overflow the stack here.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { InputLimits } from './limits.js';

export interface TreeProblem {
  /** Offset in the text to point at. */
  readonly offset: number;
  readonly code: 'DUPLICATE_KEY' | 'TOO_DEEP' | 'TOO_MANY_KEYS';
  readonly message: string;
}

interface Item {
  readonly node: unknown;
  readonly depth: number;
}

function offsetOf(node: unknown, fallback: number): number {
  const range = (node as { range?: readonly number[] | null } | null)?.range;
  return range?.[0] ?? fallback;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function checkMap(node: YamlNode, depth: number, limits: InputLimits, stack: Item[]): TreeProblem | undefined {
  if (!isMap(node)) return undefined;
  if (node.items.length > limits.maxKeys) {
    return { offset: offsetOf(node, 0), code: 'TOO_MANY_KEYS', message: `mapping has ${node.items.length} keys, more than the limit of ${limits.maxKeys} (maxKeys)` };
  }
  const keys = new Set<string>();
  for (const pair of node.items) {
    const text = keyText(pair.key);
    // `<<` merge keys may repeat; a collection as a key is left to the parser's own rules.
    if (text !== undefined && text !== '<<') {
      if (keys.has(text)) return { offset: offsetOf(pair.key, offsetOf(node, 0)), code: 'DUPLICATE_KEY', message: `Map keys must be unique; "${text.length > 60 ? `${text.slice(0, 60)}…` : text}" is repeated` };
      keys.add(text);
    }
    stack.push({ node: pair.key, depth: depth + 1 }, { node: pair.value, depth: depth + 1 });
  }
  return undefined;
}

/** The first problem in the document's tree, or undefined. */
export function checkDocumentTree(doc: Document.Parsed, limits: InputLimits): TreeProblem | undefined {
  const stack: Item[] = [{ node: doc.contents, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, depth } = item;
    if (node === null || node === undefined || isScalar(node) || isAlias(node)) continue;
    if (depth >= limits.maxDepth && (isMap(node) || isSeq(node))) {
      return { offset: offsetOf(node, 0), code: 'TOO_DEEP', message: `nested more than ${limits.maxDepth} levels deep (maxDepth)` };
    }
    const problem = checkMap(node as YamlNode, depth, limits, stack);
    if (problem !== undefined) return problem;
    if (isSeq(node)) for (const entry of node.items) stack.push({ node: entry, depth: depth + 1 });
  }
  return undefined;
}
