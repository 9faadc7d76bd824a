/**
 * Validates an untyped value (a parsed YAML document, or an object rendered by a root app-of-apps) as an Argo CD
 * Application. Every problem is reported at once, each with where it is, the field path and the fix. Unknown
 * fields are warnings, so manifests written for a newer Argo CD still load.
 */
import type { Application, ApplicationDestination, ApplicationSource, ApplicationSpec, KubeMetadata } from './application.js';
import { readDestination, readIgnoreDifference, readInfo, readMetadata, readSource, readSyncPolicy } from './application-shapes.js';
import { Findings, validated } from './findings.js';
import type { Describe, Validated } from './findings.js';
import { isGiven, readEach, readInteger, readList, readLiteral, readMapping, readObject, readString } from './readers.js';
import { checkMetadata } from './validate-metadata.js';
import { checkSourceList } from './validate-sources.js';
import type { PlacedSource } from './validate-sources.js';
import { isPlainObject, without } from './values.js';

export const APPLICATION_API_VERSION = 'argoproj.io/v1alpha1';

interface SpecInput extends Partial<Omit<ApplicationSpec, 'source' | 'sources'>> {
  readonly source?: Partial<ApplicationSource>;
  readonly sources?: readonly (Partial<ApplicationSource> | undefined)[];
  readonly sourceHydrator?: Readonly<Record<string, unknown>>;
}

interface ApplicationInput {
  readonly apiVersion?: typeof APPLICATION_API_VERSION;
  readonly kind?: 'Application';
  readonly metadata?: Partial<KubeMetadata>;
  readonly spec?: SpecInput;
}

const readSpec = readObject<SpecInput>({
  project: readString,
  source: readSource,
  sources: readEach(readSource),
  destination: readDestination,
  syncPolicy: readSyncPolicy,
  ignoreDifferences: readList(readIgnoreDifference),
  revisionHistoryLimit: readInteger,
  info: readList(readInfo),
  sourceHydrator: readMapping,
});

const readApplication = readObject<ApplicationInput>(
  {
    apiVersion: readLiteral(APPLICATION_API_VERSION, `set apiVersion: ${APPLICATION_API_VERSION}`),
    kind: readLiteral('Application', 'set kind: Application'),
    metadata: readMetadata,
    spec: readSpec,
  },
  {
    required: { apiVersion: `set apiVersion: ${APPLICATION_API_VERSION}`, kind: 'set kind: Application' },
    // Written by the controller, present in objects exported from a cluster.
    ignored: ['status', 'operation'],
  },
);

const DESTINATION_FIX = 'set server (e.g. https://kubernetes.default.svc) or name (a cluster registered by name), and a namespace';

function checkDestination(spec: SpecInput, findings: Findings): ApplicationDestination | undefined {
  const at = ['spec', 'destination'];
  const { destination } = spec;
  if (destination === undefined) {
    if (!isGiven(spec, 'destination')) findings.error(at, 'required field is missing', `add destination: ${DESTINATION_FIX}`);
    return undefined;
  }
  const { server, name } = destination;
  const hasServer = server !== undefined && server !== '';
  const hasName = name !== undefined && name !== '';
  if (!hasServer && !hasName) findings.error(at, 'the destination needs server or name', DESTINATION_FIX);
  if (hasServer && hasName) {
    findings.error([...at, 'name'], `a destination can't have both name and server (name ${JSON.stringify(name)}, server ${JSON.stringify(server)})`, 'keep one: server for the API server URL, or name for a cluster registered by name');
  }
  return destination;
}

function placeSources(spec: SpecInput, raw: Readonly<Record<string, unknown>>, findings: Findings): PlacedSource[] | undefined {
  const listed = spec.sources;
  if (listed !== undefined && listed.length > 0) {
    if (spec.source !== undefined) {
      findings.warn(['spec', 'source'], 'spec.source is ignored because spec.sources is set (as Argo CD does)', 'remove spec.source, or move it into spec.sources');
    }
    const placed = listed.map((source, index) => (source === undefined ? undefined : { source, at: ['spec', 'sources', index] }));
    return placed.every((entry) => entry !== undefined) ? placed : undefined;
  }
  if (spec.source !== undefined) return [{ source: spec.source, at: ['spec', 'source'] }];
  // A source or sources that is present but malformed has been reported already.
  if (raw.source !== undefined && raw.source !== null) return undefined;
  if (Array.isArray(raw.sources) && raw.sources.length === 0) {
    findings.error(['spec', 'sources'], 'spec.sources is empty', 'list at least one source, or use spec.source');
  } else if (raw.sources === undefined || raw.sources === null) {
    findings.error(['spec'], 'an Application needs spec.source or spec.sources', 'add spec.source with repoURL and path (or chart), or spec.sources as a list of such sources');
  }
  return undefined;
}

function checkSpec(spec: SpecInput | undefined, raw: unknown, findings: Findings): ApplicationSpec | undefined {
  if (spec === undefined || !isPlainObject(raw)) {
    if (raw === undefined || raw === null) findings.error(['spec'], 'required field is missing', 'add spec with source (or sources), destination and project');
    return undefined;
  }
  const destination = checkDestination(spec, findings);
  if (spec.sourceHydrator !== undefined) {
    findings.warn(['spec', 'sourceHydrator'], 'sourceHydrator is not supported by Launchpad and is ignored', 'render from spec.source or spec.sources instead');
  }
  const placed = placeSources(spec, raw, findings);
  if (placed !== undefined) checkSourceList(placed, spec.sources !== undefined && spec.sources.length > 0, findings);
  if (destination === undefined || placed === undefined) return undefined;
  // Valid from here on: every source has its repoURL (checked above), so the partial sources are complete.
  const sources = placed.map((entry) => entry.source as ApplicationSource);
  const rest = without(spec, ['sourceHydrator', 'source', 'sources']);
  const single = spec.sources !== undefined && spec.sources.length > 0 ? { sources } : { source: sources[0] as ApplicationSource };
  return { ...rest, project: spec.project ?? '', destination, ...single };
}

/**
 * Validates `value` as an Application. `describe` places findings: use `describeDocument(doc)` for a document of
 * a file (errors read `file:line:col: field: message — fix`) and `describeRendered(value, …)` for an Application
 * rendered by an app-of-apps (errors read `Application "x" (rendered by root "y"): field: message — fix`).
 */
export function validateApplication(value: unknown, describe: Describe): Validated<Application> {
  const findings = new Findings(describe);
  const input = readApplication(value, [], findings);
  if (input === undefined || !isPlainObject(value)) return validated<Application>(undefined, findings);
  const metadata = checkMetadata(input.metadata, 'Application', findings);
  const spec = checkSpec(input.spec, value.spec, findings);
  const { apiVersion, kind } = input;
  const complete = metadata !== undefined && spec !== undefined && apiVersion !== undefined && kind !== undefined;
  return validated(complete ? { apiVersion, kind, metadata, spec } : undefined, findings);
}
