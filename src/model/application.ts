/**
 * The `argoproj.io/v1alpha1` Application as Launchpad understands it. Field names and meaning follow Argo CD so
 * existing manifests work unchanged. Everything is readonly: a parsed Application is a value.
 */
import type { SourcePosition } from '../errors.js';
import type { SyncWindow } from './sync-windows.js';

export interface KubeMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly finalizers?: readonly string[];
}

export interface DirectorySource {
  /** @default false */
  readonly recurse?: boolean;
  /** A glob (with `{a,b}` alternatives) of files to include, matched against the path relative to the source path. */
  readonly include?: string;
  readonly exclude?: string;
  readonly jsonnet?: Readonly<Record<string, unknown>>;
  /** Read every file, not only .yaml/.yml/.json. @default false */
  readonly disableExtensionFilter?: boolean;
}

export interface KustomizePatchTarget {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

export interface KustomizePatch {
  readonly path?: string;
  readonly patch?: string;
  readonly target?: KustomizePatchTarget;
  readonly options?: Readonly<Record<string, boolean>>;
}

export interface KustomizeReplica {
  readonly name: string;
  readonly count: number | string;
}

export interface KustomizeSource {
  readonly namePrefix?: string;
  readonly nameSuffix?: string;
  /** `name=newName:tag`, `name:tag`, `name@digest` as `kustomize edit set image` takes them. */
  readonly images?: readonly string[];
  readonly commonLabels?: Readonly<Record<string, string>>;
  readonly commonAnnotations?: Readonly<Record<string, string>>;
  /** @default false */
  readonly commonAnnotationsEnvsubst?: boolean;
  /** @default false */
  readonly labelWithoutSelector?: boolean;
  /** @default false */
  readonly forceCommonLabels?: boolean;
  /** @default false */
  readonly forceCommonAnnotations?: boolean;
  readonly namespace?: string;
  readonly replicas?: readonly KustomizeReplica[];
  readonly patches?: readonly KustomizePatch[];
  readonly components?: readonly string[];
  /** @default false */
  readonly ignoreMissingComponents?: boolean;
  readonly version?: string;
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  /** @default false */
  readonly labelIncludeTemplates?: boolean;
}

export interface HelmParameter {
  readonly name: string;
  readonly value: string;
  /** Pass with `--set-string` instead of `--set`. @default false */
  readonly forceString?: boolean;
}

export interface HelmFileParameter {
  readonly name: string;
  readonly path: string;
}

export interface HelmSource {
  /** Paths relative to the chart, or `$<ref>/<path>` into a `ref` source; globs allowed. */
  readonly valueFiles?: readonly string[];
  /** @default false */
  readonly ignoreMissingValueFiles?: boolean;
  /** A YAML string. */
  readonly values?: string;
  readonly valuesObject?: Readonly<Record<string, unknown>>;
  readonly parameters?: readonly HelmParameter[];
  readonly fileParameters?: readonly HelmFileParameter[];
  /** @default the Application's name */
  readonly releaseName?: string;
  /** @default false */
  readonly skipCrds?: boolean;
  /** @default false */
  readonly skipSchemaValidation?: boolean;
  /** @default false */
  readonly skipTests?: boolean;
  /** @default false */
  readonly passCredentials?: boolean;
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  /** @default the destination namespace */
  readonly namespace?: string;
  readonly version?: string;
}

export interface ApplicationSource {
  readonly repoURL: string;
  /** Path inside a git repository. Absent for Helm-repository charts. */
  readonly path?: string;
  /** Chart name in a Helm repository (https index or oci://). Mutually exclusive with `ref`. */
  readonly chart?: string;
  /** Branch, tag, commit SHA or HEAD for git; exact version or semver range for charts. @default HEAD */
  readonly targetRevision?: string;
  /** Names this source so other sources can read its files as `$<ref>/...`. */
  readonly ref?: string;
  readonly name?: string;
  /** Prefix of the git tags a semver targetRevision is matched against. */
  readonly tagPrefix?: string;
  readonly directory?: DirectorySource;
  readonly kustomize?: KustomizeSource;
  readonly helm?: HelmSource;
  readonly plugin?: Readonly<Record<string, unknown>>;
}

export interface ApplicationDestination {
  readonly server?: string;
  readonly name?: string;
  readonly namespace?: string;
}

export interface RetryBackoff {
  readonly duration?: string;
  readonly factor?: number;
  readonly maxDuration?: string;
}

export interface SyncPolicy {
  readonly automated?: {
    readonly prune?: boolean;
    readonly selfHeal?: boolean;
    readonly allowEmpty?: boolean;
    readonly enabled?: boolean;
  };
  readonly syncOptions?: readonly string[];
  readonly retry?: {
    readonly limit?: number;
    readonly backoff?: RetryBackoff;
    /** Retry with the newest revision instead of the one that failed. @default false */
    readonly refresh?: boolean;
  };
  readonly managedNamespaceMetadata?: {
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
}

export interface IgnoreDifference {
  readonly group?: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly jsonPointers?: readonly string[];
  readonly jqPathExpressions?: readonly string[];
  readonly managedFieldsManagers?: readonly string[];
}

export interface ApplicationSpec {
  readonly project: string;
  /** Exactly one of `source` / `sources` is set on a valid Application; `sources` wins when both are. */
  readonly source?: ApplicationSource;
  readonly sources?: readonly ApplicationSource[];
  readonly destination: ApplicationDestination;
  readonly syncPolicy?: SyncPolicy;
  readonly ignoreDifferences?: readonly IgnoreDifference[];
  readonly revisionHistoryLimit?: number;
  readonly info?: readonly { readonly name: string; readonly value: string }[];
}

export interface Application {
  readonly apiVersion: 'argoproj.io/v1alpha1';
  readonly kind: 'Application';
  readonly metadata: KubeMetadata;
  readonly spec: ApplicationSpec;
}

/** A kind of object in an AppProject's namespaced resource lists. `group` "" is the core group; both are globs. */
export interface ProjectGroupKind {
  readonly group: string;
  readonly kind: string;
}

/** An entry of an AppProject's cluster-scoped resource lists, which (since Argo CD 3.3) may also restrict names. */
export interface ClusterResourceRestriction extends ProjectGroupKind {
  /** A glob on the object's name. @default any name */
  readonly name?: string;
}

/** Objects that orphaned-resource monitoring leaves alone; globs. */
export interface OrphanedResourceKey {
  /** @default "" — the core group only, as in Argo CD (not "any group") */
  readonly group?: string;
  /** @default any kind */
  readonly kind?: string;
  /** @default any name */
  readonly name?: string;
}

export interface OrphanedResourcesSettings {
  /** Give applications a warning condition when their namespace holds orphaned objects. @default false */
  readonly warn?: boolean;
  readonly ignore?: readonly OrphanedResourceKey[];
}

export interface AppProjectSpec {
  /** Repository URL globs applications may use; an entry starting with `!` denies. */
  readonly sourceRepos?: readonly string[];
  /** Cluster (server or name) and namespace globs applications may deploy to; a `!` field makes a denying entry. */
  readonly destinations?: readonly ApplicationDestination[];
  readonly description?: string;
  /** Cluster-scoped kinds that may be deployed. @default none */
  readonly clusterResourceWhitelist?: readonly ClusterResourceRestriction[];
  readonly clusterResourceBlacklist?: readonly ClusterResourceRestriction[];
  /** Namespaced kinds that may be deployed: absent permits every kind, an empty list none (as in Argo CD). */
  readonly namespaceResourceWhitelist?: readonly ProjectGroupKind[];
  readonly namespaceResourceBlacklist?: readonly ProjectGroupKind[];
  /** Absent: orphaned objects are not monitored. */
  readonly orphanedResources?: OrphanedResourcesSettings;
  /** Namespaces (globs), besides Argo CD's own, whose Applications may use this project. */
  readonly sourceNamespaces?: readonly string[];
  /** When automated and manual syncs may run (see sync-windows.ts). */
  readonly syncWindows?: readonly SyncWindow[];
}

export interface AppProject {
  readonly apiVersion: 'argoproj.io/v1alpha1';
  readonly kind: 'AppProject';
  readonly metadata: KubeMetadata;
  readonly spec: AppProjectSpec;
}

/** Where a parsed object came from, for error messages. */
export interface Origin extends SourcePosition {
  /** Index of the YAML document in a multi-document file, 0-based. */
  readonly documentIndex: number;
}

/** A parse/validation finding that does not stop the object from being used (e.g. an unknown field). */
export interface Warning {
  readonly position: SourcePosition;
  readonly fieldPath?: string;
  readonly message: string;
  /** What the user can do about it, when there is something to do. */
  readonly fix?: string;
}

/** The sources of an Application as a list, whichever of `source`/`sources` it used. */
export function applicationSources(app: Application): readonly ApplicationSource[] {
  if (app.spec.sources !== undefined && app.spec.sources.length > 0) return app.spec.sources;
  return app.spec.source === undefined ? [] : [app.spec.source];
}

/**
 * The sync wave of an object from its annotation: 0 when absent, not an integer or out of the 32-bit range (as
 * gitops-engine falls back to 0 when the annotation does not parse). Applications are validated before this is read.
 */
export function syncWaveOf(annotations: Readonly<Record<string, string>> | undefined): number {
  const raw = annotations?.['argocd.argoproj.io/sync-wave']?.trim();
  if (raw === undefined || !/^[+-]?\d+$/.test(raw)) return 0;
  const wave = Number(raw);
  return wave >= -(2 ** 31) && wave <= 2 ** 31 - 1 ? wave : 0;
}
