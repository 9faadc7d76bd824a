/**
 * AppProject: the fields Argo CD enforces (which repositories, destinations and kinds of objects a project permits,
 * how it treats orphaned objects, and when syncs may run) are read and checked here; project-rules.ts applies the
 * permissions, sync-windows.ts compiles `spec.syncWindows` and src/controller/sync-windows.ts decides with them.
 * Roles and the other Argo CD project fields are accepted without warning and not used. As in Argo CD, a project named
 * `default` that allows everything exists even when no manifest defines it.
 */
import type {
  AppProject,
  AppProjectSpec,
  ApplicationDestination,
  ClusterResourceRestriction,
  KubeMetadata,
  OrphanedResourceKey,
  OrphanedResourcesSettings,
  ProjectGroupKind,
} from './application.js';
import { readDestination, readMetadata } from './application-shapes.js';
import { Findings, validated } from './findings.js';
import type { Describe, Validated } from './findings.js';
import { readBoolean, readList, readLiteral, readObject, readString, readStringList } from './readers.js';
import type { Reader } from './readers.js';
import { APPLICATION_API_VERSION } from './validate-application.js';
import { compileSyncWindows, readSyncWindow } from './sync-windows.js';
import { checkMetadata } from './validate-metadata.js';
import { isPlainObject } from './values.js';

export const DEFAULT_PROJECT = 'default';

/** Argo CD project fields that are valid but not used by Launchpad. */
const UNUSED_PROJECT_FIELDS = [
  'roles',
  'signatureKeys',
  'permitOnlyProjectScopedClusters',
  'destinationServiceAccounts',
  'sourceIntegrity',
];

// Argo CD's API refuses "!*" (it would deny everything); kubectl apply does not, so it is a warning here.
const readSourceRepo: Reader<string> = (value, at, findings) => {
  const repo = readString(value, at, findings);
  if (repo?.trim() === '!*') {
    findings.warn(at, '"!*" denies every repository, so no application can use this project', 'remove the entry; to permit no repository, leave spec.sourceRepos empty');
  }
  return repo;
};

const readProjectDestination: Reader<ApplicationDestination> = (value, at, findings) => {
  const destination = readDestination(value, at, findings);
  if (destination === undefined) return undefined;
  for (const field of ['server', 'name', 'namespace'] as const) {
    if (destination[field]?.trim() === '!*') {
      findings.warn([...at, field], `"!*" denies every ${field === 'namespace' ? 'namespace' : 'cluster'}, so this entry refuses every destination`, 'remove the entry, or deny a narrower glob');
    }
  }
  // An absent server (or name) is an empty glob, which matches no cluster: the entry can never apply.
  if ((destination.server ?? '') === '' && (destination.name ?? '') === '') {
    findings.warn(at, 'neither server nor name is set, so this entry matches no cluster', 'add server: "*" for any cluster, or the cluster\'s server URL or name');
  }
  return destination;
};

const GROUP_FIX = 'add the API group: group: "" for the core group (Namespace, ConfigMap…), e.g. group: apps, or "*" for any';
const KIND_FIX = 'add the kind, e.g. kind: Namespace, or "*" for any';

// Argo CD's CRD requires group and kind in these lists (the API server refuses an entry without them).
const readGroupKind = readObject<ProjectGroupKind>({ group: readString, kind: readString }, { required: { group: GROUP_FIX, kind: KIND_FIX } });
const readClusterResource = readObject<ClusterResourceRestriction>(
  { group: readString, kind: readString, name: readString },
  { required: { group: GROUP_FIX, kind: KIND_FIX } },
);

const readOrphanedResources = readObject<OrphanedResourcesSettings>({
  warn: readBoolean,
  ignore: readList(readObject<OrphanedResourceKey>({ group: readString, kind: readString, name: readString })),
});

const readSpec = readObject<AppProjectSpec>(
  {
    sourceRepos: readList(readSourceRepo),
    destinations: readList(readProjectDestination),
    description: readString,
    clusterResourceWhitelist: readList(readClusterResource),
    clusterResourceBlacklist: readList(readClusterResource),
    namespaceResourceWhitelist: readList(readGroupKind),
    namespaceResourceBlacklist: readList(readGroupKind),
    orphanedResources: readOrphanedResources,
    sourceNamespaces: readStringList,
    syncWindows: readList(readSyncWindow),
  },
  { ignored: UNUSED_PROJECT_FIELDS },
);

interface ProjectInput {
  readonly apiVersion?: typeof APPLICATION_API_VERSION;
  readonly kind?: 'AppProject';
  readonly metadata?: Partial<KubeMetadata>;
  readonly spec?: AppProjectSpec;
}

const readProject = readObject<ProjectInput>(
  {
    apiVersion: readLiteral(APPLICATION_API_VERSION, `set apiVersion: ${APPLICATION_API_VERSION}`),
    kind: readLiteral('AppProject', 'set kind: AppProject'),
    metadata: readMetadata,
    spec: readSpec,
  },
  { required: { apiVersion: `set apiVersion: ${APPLICATION_API_VERSION}`, kind: 'set kind: AppProject' }, ignored: ['status'] },
);

/** Validates `value` as an AppProject; `describe` places findings as for Applications. */
export function validateAppProject(value: unknown, describe: Describe): Validated<AppProject> {
  const findings = new Findings(describe);
  const input = readProject(value, [], findings);
  if (input === undefined || !isPlainObject(value)) return validated<AppProject>(undefined, findings);
  const metadata = checkMetadata(input.metadata, 'AppProject', findings);
  // Windows that cannot be read are warnings here (the project stays usable); the controller blocks the apps they apply to.
  for (const problem of compileSyncWindows(metadata?.name ?? '', input.spec?.syncWindows).problems) {
    findings.warn(['spec', 'syncWindows', problem.index, problem.field], problem.detail);
  }
  const { apiVersion, kind } = input;
  const complete = metadata !== undefined && apiVersion !== undefined && kind !== undefined;
  return validated(complete ? { apiVersion, kind, metadata, spec: input.spec ?? {} } : undefined, findings);
}

/**
 * The project Argo CD creates on install: any repository, any destination, any kind of object (namespaced kinds
 * need no entry: an absent namespaceResourceWhitelist permits them all).
 */
export function defaultProject(): AppProject {
  return {
    apiVersion: APPLICATION_API_VERSION,
    kind: 'AppProject',
    metadata: { name: DEFAULT_PROJECT },
    spec: {
      sourceRepos: ['*'],
      destinations: [{ server: '*', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
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
