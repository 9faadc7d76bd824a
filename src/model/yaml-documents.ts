/**
 * Parses a YAML or JSON text (one or many `---` documents) into plain values, keeping enough of the parse to say
 * where any field is. Users' files go through here; bulk rendered output goes through `rendered-objects.ts`.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document, YAMLError } from 'yaml';
import { InputError } from '../errors.js';
import type { SourcePosition } from '../errors.js';
import type { Origin, Warning } from './application.js';
import { parseFieldPath } from './field-path.js';
import type { FieldPath } from './field-path.js';
import { offsetOfField } from './yaml-positions.js';

/** One non-empty document of a file. */
export interface YamlDocument {
  /** The document as plain JSON-like data (objects, arrays, strings, numbers, booleans, null). */
  readonly value: unknown;
  /** The file, and the line and column where the document's content starts. */
  readonly origin: Origin;
  /** Where a field is, 1-based; an absent field gives its nearest existing ancestor. */
  positionOf(path: FieldPath | string): SourcePosition;
}

export interface ParsedYaml {
  readonly documents: readonly YamlDocument[];
  /** One per broken document; the other documents of the file are still returned. */
  readonly errors: readonly InputError[];
  readonly warnings: readonly Warning[];
}

/**
 * Options for the `yaml` package. Merge keys (`<<: *base`) are on because Kubernetes' YAML reader accepts them.
 * The schema stays YAML 1.2 core: `yes`/`no` are strings, and the validator says so where a boolean is wanted.
 */
const PARSE_OPTIONS = { merge: true, prettyErrors: false, uniqueKeys: true } as const;

const FIXES: Partial<Record<YAMLError['code'], string>> = {
  DUPLICATE_KEY: 'remove or rename the repeated key; only one of them would be used',
  BAD_INDENT: 'check the indentation of this line against the lines above it',
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation',
  MISSING_CHAR: 'close the quote or bracket that was opened earlier',
  BLOCK_AS_IMPLICIT_KEY: 'check the indentation of the next lines (a line indented deeper than the keys beside it continues this value), or quote a value that contains ": "',
  MULTILINE_IMPLICIT_KEY: 'check the indentation of the next lines, or quote a value that contains ": "',
};
const DEFAULT_FIX = 'fix the YAML syntax here; quote values that contain ": ", "#", or start with "{", "[", "*", "&" or "!"';

function positionAt(lines: LineCounter, file: string, offset: number): SourcePosition {
  const { line, col } = lines.linePos(offset);
  return { file, line, column: col };
}

function syntaxError(file: string, lines: LineCounter, error: YAMLError, documentIndex: number): InputError {
  const position = positionAt(lines, file, error.pos[0]);
  return new InputError(position, `YAML syntax error in document ${documentIndex + 1}: ${error.message}`, {
    fix: FIXES[error.code] ?? DEFAULT_FIX,
    cause: error,
  });
}

function makeDocument(file: string, lines: LineCounter, doc: Document.Parsed, documentIndex: number): YamlDocument | InputError {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // Only alias bombs and similar pathological input get here.
    const at = positionAt(lines, file, doc.range[0]);
    return new InputError(at, `document ${documentIndex + 1} cannot be read: ${(error as Error).message}`, { fix: 'reduce the use of YAML aliases', cause: error });
  }
  const start = doc.contents?.range[0] ?? doc.range[0];
  const origin: Origin = { ...positionAt(lines, file, start), documentIndex };
  return {
    value,
    origin,
    positionOf: (path) => positionAt(lines, file, offsetOfField(doc, typeof path === 'string' ? parseFieldPath(path) : path)),
  };
}

/**
 * Parses every document of `text`. A broken document becomes an error (with `file:line:col` and a hint) and the
 * others are still returned; empty documents (`---` alone, comments only, `null`) are skipped.
 */
export function parseYamlDocuments(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter: lines });
  const all = Array.isArray(parsed) ? parsed : [];
  const documents: YamlDocument[] = [];
  const errors: InputError[] = [];
  const warnings: Warning[] = [];
  all.forEach((doc, index) => {
    for (const warning of doc.warnings) warnings.push({ position: positionAt(lines, file, warning.pos[0]), message: warning.message });
    const [first] = doc.errors;
    if (first !== undefined) {
      errors.push(syntaxError(file, lines, first, index));
      return;
    }
    if (doc.contents === null) return;
    const made = makeDocument(file, lines, doc, index);
    if (made instanceof InputError) errors.push(made);
    else if (made.value !== null && made.value !== undefined) documents.push(made);
  });
  return { documents, errors, warnings };
}
