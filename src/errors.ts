/**
 * The one error family of Launchpad. Every error names what it is about (a file and position, a resource such as
 * `Deployment/shop/web`, or an application) and says what to do next. Each error is classed `terminal` (retrying
 * cannot help: bad input, missing file) or `retryable` (network, timeouts, a busy API server).
 */
export type ErrorClass = 'terminal' | 'retryable';

/** Where in a file a problem is; lines and columns are 1-based as editors show them. */
export interface SourcePosition {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export interface LaunchpadErrorOptions {
  /** @default 'terminal' */
  readonly errorClass?: ErrorClass;
  /** What the user can do about it; appended to the message after " — ". */
  readonly fix?: string;
  readonly cause?: unknown;
}

export function formatPosition(position: SourcePosition): string {
  if (position.line === undefined) return position.file;
  return position.column === undefined ? `${position.file}:${position.line}` : `${position.file}:${position.line}:${position.column}`;
}

export class LaunchpadError extends Error {
  readonly errorClass: ErrorClass;
  readonly fix: string | undefined;

  constructor(message: string, options: LaunchpadErrorOptions = {}) {
    super(options.fix === undefined ? message : `${message} — ${options.fix}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.errorClass = options.errorClass ?? 'terminal';
    this.fix = options.fix;
  }

  get retryable(): boolean {
    return this.errorClass === 'retryable';
  }
}

/** Bad input in a file the user wrote: YAML syntax, an invalid Application, a bad launchpad.yaml. */
export class InputError extends LaunchpadError {
  readonly position: SourcePosition;
  readonly fieldPath: string | undefined;

  constructor(position: SourcePosition, message: string, options: LaunchpadErrorOptions & { readonly fieldPath?: string } = {}) {
    const where = formatPosition(position);
    const field = options.fieldPath === undefined ? '' : ` ${options.fieldPath}:`;
    super(`${where}:${field} ${message}`, options);
    this.position = position;
    this.fieldPath = options.fieldPath;
  }
}

/** A git repository, a Helm repository or a path inside one could not be used. */
export class SourceError extends LaunchpadError {}

/** The source is remote, not substituted and not cached, and `--offline` forbids fetching it. Not a failure. */
export class OfflineSkipError extends LaunchpadError {
  constructor(readonly repoURL: string) {
    super(`skipped (offline): ${repoURL} is neither substituted in launchpad.yaml nor cached`, {
      fix: 'map it to a local folder in launchpad.yaml or run once without --offline to fill the cache',
    });
  }
}

/** A renderer (directory, kustomize, helm) failed for an application. */
export class RenderError extends LaunchpadError {}

/** An external binary is missing, failed or timed out. */
export class ToolError extends LaunchpadError {}

/** A kubeconfig could not be found, read or used (missing file, unknown context, no cluster for the context). */
export class KubeconfigError extends LaunchpadError {}

export interface KubeErrorOptions extends LaunchpadErrorOptions {
  /** The HTTP status the API server answered with; undefined when no answer came (network, TLS). */
  readonly status?: number;
  /** The API server's `Status.reason` (NotFound, Invalid, Conflict, AlreadyExists, Forbidden, …), when it gave one. */
  readonly reason?: string;
}

/**
 * A request to the API server failed. The message starts with the object (`Deployment/shop/web: apply failed: …`) and
 * carries the server's own words (an admission webhook's denial included); `status` and `reason` keep the details.
 */
export class KubeError extends LaunchpadError {
  /** What the request was about: `Deployment/shop/web`, `Deployment (apps/v1) in namespace shop`, `API server https://…`. */
  readonly subject: string;
  readonly status: number | undefined;
  readonly reason: string | undefined;

  constructor(subject: string, message: string, options: KubeErrorOptions = {}) {
    super(`${subject}: ${message}`, options);
    this.subject = subject;
    this.status = options.status;
    this.reason = options.reason;
  }
}

/**
 * The API server does not serve the object's apiVersion/kind, even after discovery was refreshed: its
 * CustomResourceDefinition is not installed (or not yet Established), or the apiVersion/kind is misspelt.
 */
export class UnknownKindError extends KubeError {
  readonly apiVersion: string;
  readonly kind: string;

  constructor(subject: string, message: string, options: KubeErrorOptions & { readonly apiVersion: string; readonly kind: string }) {
    super(subject, message, options);
    this.apiVersion = options.apiVersion;
    this.kind = options.kind;
  }
}

export function isLaunchpadError(value: unknown): value is LaunchpadError {
  return value instanceof LaunchpadError;
}

/** A message safe for users: our own errors as they are, anything else with its message only. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
