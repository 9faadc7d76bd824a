/**
 * AppProject, minimally: the fields Launchpad uses (which repositories and destinations a project allows). Other
 * Argo CD project fields are accepted without warning and not used yet. As in Argo CD, a project named `default`
 * that allows everything exists even when no manifest defines it.
 */
import type { AppProject, ApplicationDestination, KubeMetadata } from './application.js';
import { readDestination, readMetadata } from './application-shapes.js';
import { Findings, validated } from './findings.js';
import type { Describe, Validated } from './findings.js';
import { readList, readLiteral, readObject, readString, readStringList } from './readers.js';
import { APPLICATION_API_VERSION } from './validate-application.js';
import { checkMetadata } from './validate-metadata.js';
import { isPlainObject } from './values.js';

export const DEFAULT_PROJECT = 'default';

/** Argo CD project fields that are valid but not used by Launchpad yet. */
const UNUSED_PROJECT_FIELDS = [
  'clusterResourceWhitelist',
  'clusterResourceBlacklist',
  'namespaceResourceWhitelist',
  'namespaceResourceBlacklist',
  'roles',
  'syncWindows',
  'signatureKeys',
  'orphanedResources',
  'sourceNamespaces',
  'permitOnlyProjectScopedClusters',
  'destinationServiceAccounts',
];

interface ProjectInput {
  readonly apiVersion?: typeof APPLICATION_API_VERSION;
  readonly kind?: 'AppProject';
  readonly metadata?: Partial<KubeMetadata>;
  readonly spec?: AppProject['spec'];
}

const readProject = readObject<ProjectInput>(
  {
    apiVersion: readLiteral(APPLICATION_API_VERSION, `set apiVersion: ${APPLICATION_API_VERSION}`),
    kind: readLiteral('AppProject', 'set kind: AppProject'),
    metadata: readMetadata,
    spec: readObject<AppProject['spec']>(
      { sourceRepos: readStringList, destinations: readList(readDestination), description: readString },
      { ignored: UNUSED_PROJECT_FIELDS },
    ),
  },
  { required: { apiVersion: `set apiVersion: ${APPLICATION_API_VERSION}`, kind: 'set kind: AppProject' }, ignored: ['status'] },
);

/** Validates `value` as an AppProject; `describe` places findings as for Applications. */
export function validateAppProject(value: unknown, describe: Describe): Validated<AppProject> {
  const findings = new Findings(describe);
  const input = readProject(value, [], findings);
  if (input === undefined || !isPlainObject(value)) return validated<AppProject>(undefined, findings);
  const metadata = checkMetadata(input.metadata, 'AppProject', findings);
  const { apiVersion, kind } = input;
  const complete = metadata !== undefined && apiVersion !== undefined && kind !== undefined;
  return validated(complete ? { apiVersion, kind, metadata, spec: input.spec ?? {} } : undefined, findings);
}

/** The project Argo CD creates on install: any repository, any destination. */
export function defaultProject(): AppProject {
  const anywhere: ApplicationDestination = { server: '*', namespace: '*' };
  return {
    apiVersion: APPLICATION_API_VERSION,
    kind: 'AppProject',
    metadata: { name: DEFAULT_PROJECT },
    spec: { sourceRepos: ['*'], destinations: [anywhere], description: 'Implied default project' },
  };
}

/** Projects by name, with `default` added when none of the given projects is named so. */
export function projectsByName(projects: readonly AppProject[]): ReadonlyMap<string, AppProject> {
  const byName = new Map(projects.map((project) => [project.metadata.name, project]));
  if (!byName.has(DEFAULT_PROJECT)) byName.set(DEFAULT_PROJECT, defaultProject());
  return byName;
}

/** The name of an Application's project: an empty `spec.project` means `default`, as in Argo CD. */
export function projectNameOf(project: string | undefined): string {
  return project === undefined || project === '' ? DEFAULT_PROJECT : project;
}
