/**
 * Rules across the fields of an Application's sources, as Argo CD applies them: what each source must name,
 * which settings exclude each other, and that `$ref/…` value files name a ref that exists.
 */
import type { ApplicationSource } from './application.js';
import type { FieldPath } from './field-path.js';
import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { Findings } from './findings.js';
import { inputLimits } from './limits.js';
import { checkDocumentTree } from './yaml-checks.js';
import { YAML_OPTIONS, checkYamlText } from './yaml-guard.js';
import { isGiven } from './readers.js';

/** A source as read, with the path it has in the manifest. */
export interface PlacedSource {
  readonly source: Partial<ApplicationSource>;
  readonly at: FieldPath;
}

/** Argo CD's rule for ref names (they are used as `$name` in value file paths). */
const REF_NAME = /^[A-Za-z0-9_-]+$/;
const REF_VALUE_FILE = /^\$([^/]*)(?:\/(.*))?$/;

const TOOLS = ['helm', 'kustomize', 'directory', 'plugin'] as const;

function checkWhatItNames(placed: PlacedSource, multiple: boolean, findings: Findings): void {
  const { source, at } = placed;
  if (isGiven(source, 'path') || isGiven(source, 'chart')) return;
  if (multiple && isGiven(source, 'ref')) return;
  const message = multiple ? 'a source needs path, chart or ref' : 'a source needs path or chart';
  findings.error(at, message, 'set path to a folder of the git repository ("." for its root), or chart to a chart of the Helm repository');
}

function checkChart(placed: PlacedSource, findings: Findings): void {
  const { source, at } = placed;
  if (source.chart === undefined) return;
  if (source.ref !== undefined) {
    findings.error([...at, 'ref'], 'a source with both chart and ref is not supported', 'split it in two sources: one with chart (and its helm settings), one with repoURL and ref for the repository the value files come from');
  }
  if (source.path !== undefined) {
    findings.error([...at, 'path'], 'chart and path cannot both be set: chart names a chart in a Helm repository, path a folder in a git repository', 'keep chart for a Helm repository (https:// index or oci://), or path for a chart kept in git');
  }
  if (!isGiven(source, 'targetRevision') || source.targetRevision === '') {
    findings.error([...at, 'targetRevision'], 'a Helm chart source needs targetRevision', 'set targetRevision to the chart version, e.g. 1.2.3, or a range such as 1.*');
  }
}

function checkSource(placed: PlacedSource, multiple: boolean, findings: Findings): void {
  const { source, at } = placed;
  if (!isGiven(source, 'repoURL') || source.repoURL === '') {
    findings.error([...at, 'repoURL'], 'required field is missing', 'set repoURL to the git repository (https://… or git@…) or Helm repository the source comes from');
  }
  checkWhatItNames(placed, multiple, findings);
  checkChart(placed, findings);
  const tools = TOOLS.filter((tool) => source[tool] !== undefined);
  if (tools.length > 1) {
    findings.error(at, `settings for more than one tool are given (${tools.join(', ')}); a source is rendered by one tool`, `keep only the ${tools.join(' or ')} settings that match what the source holds`);
  }
  if (!multiple && source.ref !== undefined) {
    findings.warn([...at, 'ref'], 'ref has no effect on a single source', 'use spec.sources to let other sources read this one through $ref');
  }
  checkInlineValues(placed, findings);
}

/** A syntax error or a duplicate key in values text, with its line and column inside the values. */
function syntaxProblem(document: Document.Parsed, lines: LineCounter): string | undefined {
  const error = document.errors[0];
  const problem = error === undefined ? checkDocumentTree(document, inputLimits()) : undefined;
  if (error === undefined && problem === undefined) return undefined;
  const { line, col } = lines.linePos(error?.pos[0] ?? problem?.offset ?? 0);
  const message = error === undefined ? (problem?.message ?? '') : (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  return `is not valid YAML: ${message} (line ${line}, column ${col} of the values)`;
}

/** Why `helm.values` text is not a usable YAML mapping, or undefined when it is. */
function inlineValuesProblem(values: string): string | undefined {
  try {
    checkYamlText(values, { file: 'values' });
  } catch (error) {
    return `is not usable: ${(error as Error).message.replace(/^values(:\d+:\d+)?: /, '')}`;
  }
  const lines = new LineCounter();
  const document = parseDocument(values, { ...YAML_OPTIONS, lineCounter: lines });
  const syntax = syntaxProblem(document, lines);
  if (syntax !== undefined) return syntax;
  let contents: unknown;
  try {
    contents = document.toJS({ maxAliasCount: inputLimits().maxAliasExpansion });
  } catch (cause) {
    return `cannot be read: ${(cause as Error).message}`;
  }
  const isMapping = contents === null || (typeof contents === 'object' && !Array.isArray(contents));
  return isMapping ? undefined : 'must be a YAML mapping of values (key: value lines), not a single value or a list';
}

/**
 * `helm.values` is YAML inside a string: its syntax is checked here, so a mistake is reported at the Application
 * field (with the line inside the values) rather than as helm's complaint about a temporary file.
 */
function checkInlineValues({ source, at }: PlacedSource, findings: Findings): void {
  const values = source.helm?.values;
  if (values === undefined || values.trim() === '') return;
  const problem = inlineValuesProblem(values);
  if (problem !== undefined) {
    findings.error([...at, 'helm', 'values'], problem, 'fix the YAML inside the values block: "values: |" followed by indented key: value lines; quote values containing ": " or "#"');
  }
}

/** Checks ref names and their uniqueness; returns the refs by name. */
function collectRefs(sources: readonly PlacedSource[], findings: Findings): Map<string, FieldPath> {
  const refs = new Map<string, FieldPath>();
  for (const { source, at } of sources) {
    const ref = source.ref;
    if (ref === undefined) continue;
    if (!REF_NAME.test(ref)) {
      const suggestion = ref.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'values';
      // Still registered below, so value files using it are not reported a second time.
      findings.error([...at, 'ref'], `ref ${JSON.stringify(ref)} may only contain letters, digits, "_" and "-"`, `rename it, e.g. ${JSON.stringify(suggestion)}, and use it as $${suggestion}/…`);
    }
    const first = refs.get(ref);
    if (first === undefined) refs.set(ref, [...at, 'ref']);
    else findings.error([...at, 'ref'], `ref ${JSON.stringify(ref)} is defined twice in this Application`, 'give each ref source a different name');
  }
  return refs;
}

function checkValueFile(file: string, at: FieldPath, refs: ReadonlyMap<string, FieldPath>, findings: Findings): void {
  const match = REF_VALUE_FILE.exec(file);
  if (match === null) return;
  const [, name = '', rest] = match;
  if (rest === undefined || rest === '') {
    findings.error(at, `value file ${JSON.stringify(file)} names no file inside the ref`, `write the path after the ref, e.g. $${name || 'values'}/my-app/values.yaml`);
    return;
  }
  if (refs.has(name)) return;
  const known = [...refs.keys()];
  const defined = known.length === 0 ? 'this Application defines no refs' : `refs defined: ${known.map((ref) => JSON.stringify(ref)).join(', ')}`;
  const fix = known.length === 0
    ? `add a source to spec.sources with ref: ${name} and the repoURL that holds ${rest}`
    : `use ${known.map((ref) => `$${ref}/…`).join(' or ')}, or add ref: ${name} to the source that holds ${rest}`;
  findings.error(at, `value file ${JSON.stringify(file)} refers to ref ${JSON.stringify(name)}, which no source defines (${defined})`, fix);
}

/** Checks every source and the refs between them. `multiple` is true for spec.sources. */
export function checkSourceList(sources: readonly PlacedSource[], multiple: boolean, findings: Findings): void {
  for (const placed of sources) checkSource(placed, multiple, findings);
  // Refs only work between entries of spec.sources (as in Argo CD), so a single source sees none.
  const refs = multiple ? collectRefs(sources, findings) : new Map<string, FieldPath>();
  // A ref that is given but unreadable (`ref: 1`) was reported as a type error: do not call its users unknown.
  const unreadableRef = sources.some(({ source }) => source.ref === undefined && isGiven(source, 'ref'));
  for (const { source, at } of sources) {
    source.helm?.valueFiles?.forEach((file, index) => {
      if (!unreadableRef) checkValueFile(file, [...at, 'helm', 'valueFiles', index], refs, findings);
    });
  }
}
