/**
 * A plugin's generate output, read as Kubernetes' YAML-or-JSON decoder reads it (Argo CD's kube.SplitYAML): output
 * starting with `{` is a stream of JSON objects (one after another, any whitespace between), anything else is a
 * stream of YAML documents, each of which may be JSON. Empty and `null` documents are skipped.
 */
import { RenderError } from '../../errors.js';
import { parseKubeObjects } from '../../model/rendered-objects.js';
import type { KubeObject } from '../../model/resource.js';

/** The index just past the JSON string that starts at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
  return index + 1;
}

/** The index just past the JSON value that starts at `start`: brackets balanced, a string, or a bare token. */
function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return stringEnd(text, start);
  if (first !== '{' && first !== '[') return start + (/^[^\s{["]+/.exec(text.slice(start))?.[0].length ?? 1);
  let depth = 0;
  let index = start;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      index = stringEnd(text, index);
      continue;
    }
    if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') depth -= 1;
    index += 1;
    if (depth === 0) return index;
  }
  return text.length;
}

/** Splits concatenated JSON values (`{…}{…}`, or one per line) into their texts. */
export function splitJsonStream(text: string): string[] {
  const values: string[] = [];
  let index = 0;
  while (index < text.length) {
    if (/\s/.test(text[index] ?? '')) {
      index += 1;
      continue;
    }
    const end = valueEnd(text, index);
    values.push(text.slice(index, end));
    index = end;
  }
  return values;
}

export function parsePluginOutput(stdout: string, source: string): KubeObject[] {
  if (!/^\s*\{/.test(stdout)) return parseKubeObjects(stdout, { source });
  const documents = splitJsonStream(stdout).map((value, index) => {
    try {
      return JSON.parse(value) as unknown;
    } catch (error) {
      throw new RenderError(`${source}: JSON value ${index + 1} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, {
        fix: 'make the generate command print Kubernetes manifests as YAML documents or JSON objects, and nothing else on stdout (logs go to stderr)',
      });
    }
  });
  // JSON is YAML: the objects go through the same checks and limits as any rendered output.
  return parseKubeObjects(documents.map((document) => JSON.stringify(document)).join('\n---\n'), { source });
}
