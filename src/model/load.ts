/**
 * Loads one manifest file (text given by the caller): every document is parsed, and each becomes an Application,
 * an AppProject or another Kubernetes object. A file may mix kinds. Broken documents are reported and skipped;
 * the rest of the file is still returned.
 */
import type { InputError } from '../errors.js';
import type { AppProject, Application, Origin, Warning } from './application.js';
import { validateAppProject } from './app-project.js';
import { formatFieldPath } from './field-path.js';
import type { FieldPath } from './field-path.js';
import type { Describe, Validated } from './findings.js';
import { Findings, inFileOrder } from './findings.js';
import { groupOf } from './resource.js';
import type { KubeObject } from './resource.js';
import { validateApplication } from './validate-application.js';
import { describeValue, isPlainObject } from './values.js';
import { parseYamlDocuments } from './yaml-documents.js';
import type { YamlDocument } from './yaml-documents.js';

export interface LoadedApplication {
  readonly app: Application;
  readonly origin: Origin;
}

export interface LoadedProject {
  readonly project: AppProject;
  readonly origin: Origin;
}

export interface LoadedObject {
  readonly object: KubeObject;
  readonly origin: Origin;
}

export interface ManifestFile {
  readonly applications: readonly LoadedApplication[];
  readonly projects: readonly LoadedProject[];
  /** Everything else (Namespaces, ConfigMaps, ApplicationSets…), as plain objects. */
  readonly otherObjects: readonly LoadedObject[];
  readonly warnings: readonly Warning[];
  readonly errors: readonly InputError[];
}

interface Sink {
  readonly applications: LoadedApplication[];
  readonly projects: LoadedProject[];
  readonly otherObjects: LoadedObject[];
  readonly warnings: Warning[];
  readonly errors: InputError[];
}

/** One object of a document: the whole document, or an entry of a `List`'s items. */
interface Placed {
  readonly document: YamlDocument;
  readonly value: unknown;
  readonly prefix: FieldPath;
}

function originOf(placed: Placed): Origin {
  if (placed.prefix.length === 0) return placed.document.origin;
  return { ...placed.document.positionOf(placed.prefix), documentIndex: placed.document.origin.documentIndex };
}

function keep<T>(result: Validated<T>, sink: Sink, add: (value: T) => void): void {
  sink.warnings.push(...result.warnings);
  if (result.ok) add(result.value);
  else sink.errors.push(...result.errors);
}

type Handler = (placed: Placed, sink: Sink) => void;

/** Argo CD kinds Launchpad validates, by kind within the argoproj.io group. */
const ARGO_KINDS: Readonly<Record<string, Handler>> = {
  Application: (placed, sink) => {
    const result = validateApplication(placed.value, describeAt(placed));
    keep(result, sink, (app) => sink.applications.push({ app, origin: originOf(placed) }));
  },
  AppProject: (placed, sink) => {
    const result = validateAppProject(placed.value, describeAt(placed));
    keep(result, sink, (project) => sink.projects.push({ project, origin: originOf(placed) }));
  },
};

function describeAt(placed: Placed): Describe {
  return (path) => placed.document.positionOf([...placed.prefix, ...path]);
}

function rejectDocument(placed: Placed, message: string, fix: string, sink: Sink): void {
  const findings = new Findings(describeAt(placed));
  const list = placed.prefix.length === 0 ? '' : ` (${formatFieldPath(placed.prefix)})`;
  findings.error([], `document ${placed.document.origin.documentIndex + 1}${list} ${message}`, fix);
  sink.errors.push(...findings.errors);
}

function loadObject(placed: Placed, sink: Sink): void {
  const { value } = placed;
  if (!isPlainObject(value)) {
    rejectDocument(placed, `is ${describeValue(value)}, not a Kubernetes object`, 'each document must be a mapping with apiVersion, kind and metadata', sink);
    return;
  }
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') {
    rejectDocument(placed, 'has no apiVersion and kind', 'every object needs both, e.g. apiVersion: argoproj.io/v1alpha1 and kind: Application', sink);
    return;
  }
  const handler = groupOf(apiVersion) === 'argoproj.io' ? ARGO_KINDS[kind] : undefined;
  if (handler !== undefined) handler(placed, sink);
  else if (kind.endsWith('List') && Array.isArray(value.items)) loadList(placed, value.items, sink);
  else sink.otherObjects.push({ object: { ...value, apiVersion, kind, metadata: isPlainObject(value.metadata) ? value.metadata : {} }, origin: originOf(placed) });
}

// `kind: List` wraps objects in items, as `kubectl get -o yaml` writes them.
function loadList(placed: Placed, items: readonly unknown[], sink: Sink): void {
  items.forEach((item, index) => {
    loadObject({ document: placed.document, value: item, prefix: [...placed.prefix, 'items', index] }, sink);
  });
}

/** Parses and validates every document of a manifest file. `file` is used in messages only. */
export function loadManifestFile(text: string, file: string): ManifestFile {
  const parsed = parseYamlDocuments(text, file);
  const sink: Sink = { applications: [], projects: [], otherObjects: [], warnings: [...parsed.warnings], errors: [...parsed.errors] };
  for (const document of parsed.documents) loadObject({ document, value: document.value, prefix: [] }, sink);
  // In file order across documents: a YAML error in document 2 comes before a validation error in document 3.
  return { ...sink, errors: inFileOrder(sink.errors), warnings: inFileOrder(sink.warnings) };
}
