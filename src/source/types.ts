/**
 * What the renderer needs from the source layer: a local, read-only directory for a git source at a resolved
 * commit, and an unpacked chart for a Helm-repository source. Implementations: the git/helm cache (real network),
 * plus repository substitution from launchpad.yaml (local folders, mirrors, pinned revisions).
 */

export interface ResolveOptions {
  /** Never touch the network; a remote source that is neither substituted nor cached throws OfflineSkipError. */
  readonly offline: boolean;
  /**
   * Charts: send the repository's credentials with the chart download even when index.yaml points it to another
   * host (Argo CD's `spec.source.helm.passCredentials`, helm's --pass-credentials). @default false
   */
  readonly passCredentials?: boolean;
}

/** A git source resolved to a commit and materialised as a directory. */
export interface GitCheckout {
  /** The repoURL as written in the Application. */
  readonly repoURL: string;
  /** The revision as written (HEAD, branch, tag, SHA). */
  readonly requestedRevision: string;
  /** The 40-hex commit SHA the revision resolved to; for a substituted working tree, its HEAD commit (or "" if not a git repo). */
  readonly sha: string;
  /** Absolute path of the repository root as files on disk. Never modified by the renderer. */
  readonly dir: string;
  /** True when `dir` is a substituted working tree (uncommitted edits included), not an immutable snapshot. */
  readonly workingTree: boolean;
  /** The substitution that applied, for reports: the local folder or the replacement URL. */
  readonly substitutedBy?: string;
  /** The revision actually resolved when launchpad.yaml pins one in place of `requestedRevision`. */
  readonly pinnedRevision?: string;
  /** The git directory holding `sha` (a snapshot's cache mirror); lets fingerprints use git object ids. */
  readonly gitDir?: string;
  /**
   * The folder symlinks must stay inside: the top of the repository `dir` belongs to. It differs from `dir` only for
   * a launchpad.yaml folder inside a larger git repository (the example platform's folders). @default dir
   */
  readonly root?: string;
}

/** A Helm-repository chart resolved to an exact version and unpacked. */
export interface ChartCheckout {
  readonly repoURL: string;
  readonly chart: string;
  readonly requestedVersion: string;
  /** The exact chart version chosen (a semver range resolves to the highest match). */
  readonly version: string;
  /** Absolute path of the unpacked chart directory (contains Chart.yaml). */
  readonly dir: string;
  readonly substitutedBy?: string;
  /** True when the chart comes from a launchpad.yaml folder, whose version number does not identify its files. */
  readonly local?: boolean;
  /** The folder symlinks in the chart must stay inside (see GitCheckout.root). @default dir */
  readonly root?: string;
}

export interface SourceResolver {
  resolveGit(repoURL: string, revision: string, options: ResolveOptions): Promise<GitCheckout>;
  resolveChart(repoURL: string, chart: string, version: string, options: ResolveOptions): Promise<ChartCheckout>;
}
