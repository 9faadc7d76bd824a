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
import { checkValueLimits, inputLimits } from './limits.js';
import { checkYamlText } from './yaml-guard.js';
import type { InputLimits } from './limits.js';
import { checkDocumentTree } from './yaml-checks.js';
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
// Duplicate keys are found by checkDocumentTree (linear; the package's own check is quadratic). `logLevel: 'error'`:
// the package must never print warnings of its own on stderr.
const PARSE_OPTIONS = { merge: true, prettyErrors: false, uniqueKeys: false, logLevel: 'error' } as const;
const STACK_OVERFLOW = /Maximum call stack size exceeded/;

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

/** What every check of one file needs: where it is, how to turn offsets into lines, the limits in force. */
interface ParseContext {
  readonly file: string;
  readonly lines: LineCounter;
  readonly limits: InputLimits;
}

function syntaxError({ file, lines, limits }: ParseContext, error: YAMLError, documentIndex: number): InputError {
  const position = positionAt(lines, file, error.pos[0]);
  // The parser recurses per level; a document deep enough to exhaust the stack is simply too deep.
  if (STACK_OVERFLOW.test(error.message)) return tooDeep(position, documentIndex, limits);
  return new InputError(position, `YAML syntax error in document ${documentIndex + 1}: ${error.message}`, {
    fix: FIXES[error.code] ?? DEFAULT_FIX,
    cause: error,
  });
}

function tooDeep(position: SourcePosition, documentIndex: number, limits: InputLimits): InputError {
  return new InputError(position, `document ${documentIndex + 1} is nested more than ${limits.maxDepth} levels deep (maxDepth)`, {
    fix: 'flatten the structure; if it is legitimate, raise maxDepth under "limits:" in launchpad.yaml or in LAUNCHPAD_LIMITS',
  });
}

function treeError({ file, lines, limits }: ParseContext, doc: Document.Parsed, documentIndex: number): InputError | undefined {
  const problem = checkDocumentTree(doc, limits);
  if (problem === undefined) return undefined;
  const position = positionAt(lines, file, problem.offset);
  if (problem.code === 'TOO_DEEP') return tooDeep(position, documentIndex, limits);
  if (problem.code === 'DUPLICATE_KEY') return new InputError(position, `YAML syntax error in document ${documentIndex + 1}: ${problem.message}`, { fix: FIXES.DUPLICATE_KEY ?? DEFAULT_FIX });
  return new InputError(position, `document ${documentIndex + 1}: ${problem.message}`, { fix: 'split the data; if it is legitimate, raise maxKeys under "limits:" in launchpad.yaml or in LAUNCHPAD_LIMITS' });
}

function makeDocument(context: ParseContext, doc: Document.Parsed, documentIndex: number): YamlDocument | InputError {
  const { file, lines, limits } = context;
  const invalid = treeError(context, doc, documentIndex);
  if (invalid !== undefined) return invalid;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasExpansion });
  } catch (error) {
    // Only alias bombs and similar pathological input get here.
    const at = positionAt(lines, file, doc.range[0]);
    return new InputError(at, `document ${documentIndex + 1} cannot be read: ${(error as Error).message}`, { fix: 'write the aliased values out, or raise maxAliasExpansion under "limits:" in launchpad.yaml', cause: error });
  }
  const violation = checkValueLimits(value, limits);
  if (violation !== undefined) {
    const at = positionAt(lines, file, offsetOfField(doc, violation.path));
    return new InputError(at, `document ${documentIndex + 1} ${violation.message}`, { fix: violation.fix });
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
 * Runs a parse with stack traces off: the parser makes an Error object per syntax error, and capturing a stack for
 * each of the 100,000 errors a large random file produces costs more than the parse itself.
 */
function withoutStackTraces<T>(parse: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parse();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Parses every document of `text`. A broken document becomes an error (with `file:line:col` and a hint) and the
 * others are still returned; empty documents (`---` alone, comments only, `null`) are skipped.
 */
export function parseYamlDocuments(text: string, file: string, limits: InputLimits = inputLimits()): ParsedYaml {
  try {
    checkYamlText(text, { file }, limits);
  } catch (error) {
    if (error instanceof InputError) return { documents: [], errors: [error], warnings: [] };
    throw error;
  }
  const lines = new LineCounter();
  const context: ParseContext = { file, lines, limits };
  const parsed = withoutStackTraces(() => parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter: lines }));
  const all = Array.isArray(parsed) ? parsed : [];
  const documents: YamlDocument[] = [];
  const errors: InputError[] = [];
  const warnings: Warning[] = [];
  all.forEach((doc, index) => {
    for (const warning of doc.warnings) warnings.push({ position: positionAt(lines, file, warning.pos[0]), message: warning.message });
    const [first] = doc.errors;
    if (first !== undefined) {
      errors.push(syntaxError(context, first, index));
      return;
    }
    if (doc.contents === null) return;
    const made = makeDocument(context, doc, index);
    if (made instanceof InputError) errors.push(made);
    else if (made.value !== null && made.value !== undefined) documents.push(made);
  });
  return { documents, errors, warnings };
}
