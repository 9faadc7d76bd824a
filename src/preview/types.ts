/**
 * What `launchpad diff --base/--head` produces: per cluster root, which applications and resources were added,
 * removed or changed between two revisions of the repositories, with unified YAML diffs (Secret values redacted),
 * and how many applications impact analysis proved unaffected. Every output format (text, markdown, JSON) is
 * built from this one value; the JSON format is this value as documented in the README.
 */
import type { ResourceKey } from '../model/resource.js';

/** Which side of the comparison: the revision under review is `head`, what it is compared with is `base`. */
export type Side = 'base' | 'head';

/** The state of one repository at one side: a commit, or its working tree (uncommitted edits included). */
export type RepoState =
  | { readonly kind: 'commit'; readonly revision: string; readonly sha: string }
  | { readonly kind: 'worktree' };

/** A repository whose content differs between the sides, as the command resolved it. */
export interface RepoRevisions {
  /** The repository URL as Applications write it (the launchpad.yaml entry), or the local folder. */
  readonly url: string;
  /** The local folder that stands in for it. */
  readonly path: string;
  readonly base: RepoState;
  readonly head: RepoState;
}

export type AppChange = 'added' | 'removed' | 'changed' | 'error' | 'skipped';
export type ResourceChangeKind = 'added' | 'removed' | 'changed';

/** An application-level field that differs: destination, wave, sync policy, a source's revision… */
export interface FieldChange {
  /** e.g. `destination.namespace`, `wave`, `syncPolicy`, `source.targetRevision`, `sources[1].helm` */
  readonly field: string;
  /** Compact one-line form; "" when absent on that side. */
  readonly base: string;
  readonly head: string;
}

/** Which keys of a Secret's data/stringData (or a SealedSecret's encryptedData) changed. Values never appear. */
export interface SecretKeyChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

export interface ResourceChange {
  readonly key: ResourceKey;
  readonly change: ResourceChangeKind;
  /** Unified diff of the canonical YAML (sorted keys), 3 lines of context, secret values redacted. */
  readonly diff: string;
  /** Set for Secret and SealedSecret objects. */
  readonly secretKeys?: SecretKeyChanges;
}

export interface AppError {
  readonly side: Side;
  readonly message: string;
}

export interface AppDiff {
  readonly name: string;
  readonly change: AppChange;
  /** Render errors at either side (change `error`); the skip reason for `skipped`. */
  readonly errors: readonly AppError[];
  /** Application-level changes, shown before resource diffs. Empty for added/removed applications. */
  readonly fields: readonly FieldChange[];
  readonly resources: readonly ResourceChange[];
}

export interface ClusterSummary {
  readonly appsAdded: number;
  readonly appsRemoved: number;
  readonly appsChanged: number;
  /** Present at both sides with identical resources and fields. */
  readonly appsUnchanged: number;
  /** Of the unchanged: not re-rendered at head because none of the files their render read changed. */
  readonly appsUnaffected: number;
  /** Could not be compared: skipped (offline) at either side. */
  readonly appsSkipped: number;
  /** Failed to render at either side. */
  readonly appsFailed: number;
  readonly resourcesAdded: number;
  readonly resourcesRemoved: number;
  readonly resourcesChanged: number;
}

export type ClusterStatus = 'added' | 'removed' | 'changed' | 'unchanged' | 'error';

/** A rule that fails (or errors) on a rendered object, judged by the head's policies (src/preview/policy-delta.ts). */
export interface PolicyViolation {
  readonly application: string;
  /** `Deployment/default/web`. */
  readonly resource: string;
  readonly policy: string;
  readonly rule: string;
  readonly status: 'fail' | 'error';
  readonly action: 'Enforce' | 'Audit';
  readonly message: string;
}

export interface PolicyDelta {
  /** Violations at head that base does not have. */
  readonly introduced: readonly PolicyViolation[];
  /** Violations at base that head no longer has. */
  readonly fixed: readonly PolicyViolation[];
}

export interface ClusterDiff {
  /** `upc-dev` for `_app-of-apps-upc-dev.yaml`, else the root file's name without extension. */
  readonly name: string;
  /** The root file, relative to its repository. */
  readonly root: string;
  readonly status: ClusterStatus;
  /** Problems with the root file at either side (unreadable, no Application). */
  readonly errors: readonly AppError[];
  readonly summary: ClusterSummary;
  /** Applications with something to show (changed, added, removed, failed, skipped), in tree order. */
  readonly applications: readonly AppDiff[];
  /** Policy violations the change introduces or fixes; absent when there are none (or no policies). */
  readonly policies?: PolicyDelta;
}

export interface PreviewStats {
  readonly wallMs: number;
  /** helm/kustomize processes run at each side. */
  readonly processes: { readonly base: number; readonly head: number };
  /** Applications served from the on-disk render cache at each side. */
  readonly cacheHits: { readonly base: number; readonly head: number };
  /** Applications at head reused from base by impact analysis (not rendered again). */
  readonly unaffected: number;
}

export interface PreviewReport {
  readonly repositories: readonly RepoRevisions[];
  readonly clusters: readonly ClusterDiff[];
  /** Warnings that do not stop the diff (launchpad.yaml unknown keys…). */
  readonly warnings: readonly string[];
  readonly stats: PreviewStats;
}
