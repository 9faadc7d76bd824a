/**
 * Reading and writing the files kubeseal reads and writes: a stream of YAML documents or of concatenated JSON
 * objects in, and out either pretty JSON objects (kubeseal's default, one after the other) or YAML documents each
 * opened by `---`, with keys sorted as Go's YAML encoder writes them.
 */
import { parseAllDocuments, stringify } from 'yaml';
import { InputError } from '../errors.js';

export type OutputFormat = 'json' | 'yaml';

/** One parsed document and where it starts, for messages (`secrets.yaml:12`). */
export interface SourceDocument {
  readonly value: Record<string, unknown>;
  readonly line: number;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Splits concatenated JSON values (`{...}{...}` or one per line) without parsing them. */
function jsonValues(text: string): { readonly json: string; readonly offset: number }[] {
  const values: { json: string; offset: number }[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) values.push({ json: text.slice(start, i + 1), offset: start });
    }
  }
  return values;
}

export function readDocuments(text: string, file: string): SourceDocument[] {
  const documents: SourceDocument[] = [];
  const push = (value: unknown, line: number): void => {
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) throw new InputError({ file, line }, 'expected a Kubernetes object (a mapping), found something else');
    documents.push({ value: value as Record<string, unknown>, line });
  };
  if (text.trimStart().startsWith('{')) {
    for (const { json, offset } of jsonValues(text)) {
      try {
        push(JSON.parse(json), lineAt(text, offset));
      } catch {
        // Not the parser's message: newer Node versions quote the text around the error, which may be a value.
        throw new InputError({ file, line: lineAt(text, offset) }, 'invalid JSON in this document', { fix: 'check quotes, commas and brackets' });
      }
    }
    return documents;
  }
  for (const document of parseAllDocuments(text, { uniqueKeys: false })) {
    const line = lineAt(text, document.range[0]);
    const problem = document.errors[0];
    if (problem !== undefined) {
      const at = problem.linePos?.[0];
      throw new InputError({ file, line: at?.line ?? line, ...(at ? { column: at.col } : {}) }, `invalid YAML: ${problem.message.split('\n')[0] ?? ''}`);
    }
    push(document.toJS({ maxAliasCount: 100 }), line);
  }
  return documents;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, sortKeys(record[key])]));
}

export function formatObject(value: unknown, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  return `---\n${stringify(sortKeys(value), { lineWidth: 0, aliasDuplicateObjects: false, indentSeq: false })}`;
}
