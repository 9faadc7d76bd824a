/**
 * Turns rendered multi-document output (helm template, kustomize build, a directory of manifests) into
 * KubeObjects. This is the renderer's hot path on large outputs, so it uses js-yaml, which is several times faster
 * than the position-keeping parser used for users' files; positions are only worked out when something is wrong.
 */
import { CORE_SCHEMA, Schema, Type, YAMLException, loadAll } from 'js-yaml';
import { InputError } from '../errors.js';
import type { SourcePosition } from '../errors.js';
import { formatFieldPath } from './field-path.js';
import { checkDocumentCount, checkTextSize, checkValueLimits, inputLimits } from './limits.js';
import type { InputLimits } from './limits.js';
import type { KubeObject } from './resource.js';
import { describeValue, isPlainObject } from './values.js';

export interface ParseKubeObjectsOptions {
  /**
   * What produced the text, used where an error message would name a file, e.g. `helm template musicman` or
   * `apps/overlays/upc-dev (kustomize build)`. @default '<rendered output>'
   */
  readonly source?: string;
  /** @default inputLimits() */
  readonly limits?: InputLimits;
  /**
   * What a key repeated in one mapping does. `reject` (for everything Launchpad renders from Git, where a repeated key
   * is a mistake to fix) fails with the line; `last-wins` decodes as Kubernetes does (the last value is kept), for
   * live objects exported from a cluster, as `launchpad health -f` reads them. @default 'reject'
   */
  readonly duplicateKeys?: 'reject' | 'last-wins';
}

// `<<: *base` merge keys, which Kubernetes' YAML reader accepts; js-yaml's core schema leaves them out.
const MERGE = new Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<' || data === null });
// `0755` is octal to Kubernetes' YAML reader (YAML 1.1, as Argo CD reads manifests too) but decimal to YAML 1.2's core
// schema: charts write file modes that way (`defaultMode: 0555`). Listed before the core types so it is tried before
// int, under a tag of its own (js-yaml keeps one implicit type per tag).
const OCTAL_1_1 = new Type('tag:launchpad,2026:yaml-1.1-octal-int', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && /^[-+]?0[0-7]+$/.test(data),
  construct: (data: string) => Number.parseInt(data, 8),
});
const CORE = CORE_SCHEMA as unknown as { readonly implicit: Type[]; readonly explicit: Type[] }; // not in js-yaml's types
const SCHEMA = new Schema({ implicit: [OCTAL_1_1, ...CORE.implicit, MERGE], explicit: CORE.explicit });

const DOCUMENT_MARKER = /^---(?:[ \t].*)?$/gm;
const HELM_SOURCE = /^# Source: (.+)$/m;

interface DocumentText {
  readonly line: number;
  readonly text: string;
}

const CONTENT_LINE = /^(?![ \t]*(?:#|%|$)).+$/m;

/**
 * The documents' texts and first lines, for error messages only: js-yaml does not say where documents start.
 * Text before the first `---` is a document only if it has content; every `---` starts one, even an empty one.
 */
function splitDocuments(text: string): DocumentText[] {
  const parts: DocumentText[] = [];
  let start = 0;
  let line = 1;
  const push = (end: number): void => {
    const chunk = text.slice(start, end);
    if (start > 0 || CONTENT_LINE.test(chunk)) parts.push({ line, text: chunk });
    line += chunk.split('\n').length - 1;
    start = end;
  };
  for (const marker of text.matchAll(DOCUMENT_MARKER)) push(marker.index);
  push(text.length);
  return parts;
}

function documentWhere(text: string, index: number, count: number, source: string): { position: SourcePosition; template: string } {
  const parts = splitDocuments(text);
  // Only trust the split when it agrees with the parser on the number of documents.
  const part = parts.length === count ? parts[index] : undefined;
  const template = part === undefined ? undefined : HELM_SOURCE.exec(part.text)?.[1];
  return {
    position: part === undefined ? { file: source } : { file: source, line: part.line },
    template: template === undefined ? '' : ` (from template ${template})`,
  };
}

const TOO_DEEP = /^nesting exceeded maxDepth/;

function loadDocuments(text: string, source: string, limits: InputLimits, lastKeyWins: boolean): unknown[] {
  checkTextSize(text, { file: source }, limits);
  checkDocumentCount(text, { file: source }, limits);
  // js-yaml 4.3 takes maxDepth (its own default is 100) although its type declarations do not list it yet. Its
  // `json` option does one thing only: a repeated key overrides the earlier value instead of failing the parse.
  const options = { schema: SCHEMA, maxDepth: limits.maxDepth, json: lastKeyWins };
  try {
    return loadAll(text, null, options);
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const position: SourcePosition = { file: source, line: error.mark.line + 1, column: error.mark.column + 1 };
    if (TOO_DEEP.test(error.reason)) {
      throw new InputError(position, `nested more than ${limits.maxDepth} levels deep (maxDepth)`, {
        fix: 'flatten the structure; if it is legitimate, raise maxDepth under "limits:" in launchpad.yaml or in LAUNCHPAD_LIMITS',
      });
    }
    throw new InputError(position, `not valid YAML: ${error.reason}`, {
      fix: 'check the template or manifest that produces this line; quote values containing ": " or "#"',
      cause: error,
    });
  }
}

interface Collect {
  readonly out: KubeObject[];
  readonly fail: (what: string, fix: string) => never;
}

function collectObject(value: unknown, where: string, collect: Collect): void {
  if (!isPlainObject(value)) {
    collect.fail(`${where} is ${describeValue(value)}, not a Kubernetes object`, 'each document must be a mapping with apiVersion, kind and metadata');
  }
  const { apiVersion, kind, metadata, items } = value;
  if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '') {
    collect.fail(`${where} has no apiVersion and kind`, 'every rendered object needs both, e.g. apiVersion: v1 and kind: ConfigMap');
  }
  // `kind: List` (and typed lists like ConfigMapList) carry their objects in items; kubectl flattens them too.
  if (kind.endsWith('List') && Array.isArray(items)) {
    items.forEach((item, i) => {
      collectObject(item, `${where}, items[${i}]`, collect);
    });
    return;
  }
  if (metadata !== undefined && metadata !== null && !isPlainObject(metadata)) {
    collect.fail(`${where} (${kind}) has metadata that is ${describeValue(metadata)}`, 'metadata must be a mapping');
  }
  collect.out.push({ ...value, apiVersion, kind, metadata: isPlainObject(metadata) ? metadata : {} });
}

/**
 * Parses rendered output into objects: null/empty documents are skipped, `List` kinds are flattened into their
 * items, anything that is not an object is rejected with an InputError naming the document (1-based) and, for
 * helm output, the template it came from.
 */
export function parseKubeObjects(text: string, options: ParseKubeObjectsOptions = {}): KubeObject[] {
  const source = options.source ?? '<rendered output>';
  const limits = options.limits ?? inputLimits();
  const documents = loadDocuments(text, source, limits, options.duplicateKeys === 'last-wins');
  const out: KubeObject[] = [];
  documents.forEach((document, index) => {
    if (document === null || document === undefined) return;
    const fail = (what: string, fix: string): never => {
      const where = documentWhere(text, index, documents.length, source);
      throw new InputError(where.position, `${what}${where.template}`, { fix });
    };
    const violation = checkValueLimits(document, limits);
    if (violation !== undefined) fail(`document ${index + 1}${violation.path.length > 0 ? ` (at ${formatFieldPath(violation.path)})` : ''} ${violation.message}`, violation.fix);
    collectObject(document, `document ${index + 1}`, { out, fail });
  });
  return out;
}
