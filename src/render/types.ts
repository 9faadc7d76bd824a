/**
 * What rendering produces: one tree per cluster root, every application in it with its sources at resolved
 * revisions, its resources, and what went wrong. The CLI, `launchpad diff` and the sync engine consume this.
 */
import type { Application, ApplicationDestination } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';

export type AppRenderStatus = 'ok' | 'error' | 'skipped';

/** A source as it was actually used: the revision it resolved to and where it came from. */
export interface ResolvedSourceReport {
  readonly repoURL: string;
  readonly path?: string;
  readonly chart?: string;
  readonly ref?: string;
  readonly requestedRevision: string;
  /** Commit SHA for git sources, exact version for charts; "" when it could not be resolved. */
  readonly resolvedRevision: string;
  /** The local folder or URL that replaced repoURL (launchpad.yaml), if any. */
  readonly substitutedBy?: string;
  /** directory | kustomize | helm | plugin | ref (files only) */
  readonly type: SourceType | 'ref';
}

export type SourceType = 'directory' | 'kustomize' | 'helm' | 'plugin';

/** A file or folder a render read, for impact analysis and the render cache. */
export interface InputPath {
  readonly repoURL: string;
  /** The revision as requested by the source (a chart input carries the resolved chart version in `path`). */
  readonly revision: string;
  /** Relative to the repository root; `<chart>@<version>` for a Helm-repository chart. */
  readonly path: string;
  /** Set for a Helm-repository chart input: the chart name. */
  readonly chart?: string;
}

export interface RenderedApp {
  readonly name: string;
  /** The application that produced this one as a resource; undefined for the root. */
  readonly parent: string | undefined;
  readonly depth: number;
  readonly wave: number;
  readonly project: string;
  readonly destination: ApplicationDestination;
  readonly application: Application;
  /** Where the Application itself was defined: the root file, or `rendered by <parent>`. */
  readonly definedIn: string;
  readonly sources: readonly ResolvedSourceReport[];
  readonly resources: readonly KubeObject[];
  readonly status: AppRenderStatus;
  /** One line for tables: the error, the skip reason, or "". */
  readonly message: string;
  readonly warnings: readonly string[];
  readonly errors: readonly string[];
  readonly inputs: readonly InputPath[];
  /** Names of child Applications this app produced, in wave then name order. */
  readonly children: readonly string[];
  /** Served from the render cache. */
  readonly cached: boolean;
}

export interface RenderTree {
  /** The file the root Application(s) came from. */
  readonly rootFile: string;
  /** Every application in depth-first tree order: parent before children, siblings by wave then name. */
  readonly apps: readonly RenderedApp[];
  /** Problems with the root file itself (e.g. it holds no Application). */
  readonly errors: readonly string[];
  readonly stats: RenderStats;
}

export interface RenderStats {
  readonly wallMs: number;
  readonly processes: number;
  /** Sum of the external processes' own wall times. */
  readonly processMs: number;
  readonly cacheHits: number;
}
