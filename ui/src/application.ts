/** The parts of an Application object (GET /api/v1/applications/<name>) the application view reads, read defensively. */
export type Json = Readonly<Record<string, unknown>>;

export const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Json : {});
export const str = (value: unknown): string => (typeof value === 'string' ? value : '');
export const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);

export interface Condition {
  readonly type: string;
  readonly message: string;
}

export interface OperationView {
  readonly phase: string;
  readonly message: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly dryRun: boolean;
  readonly prune: boolean;
  readonly results: readonly Json[];
}

export interface AppView {
  readonly name: string;
  readonly project: string;
  readonly automated: boolean;
  readonly sync: string;
  readonly health: string;
  readonly healthMessage: string;
  readonly revision: string;
  readonly conditions: readonly Condition[];
  readonly operation: OperationView | undefined;
  /** An operation is written but not started yet. */
  readonly requested: boolean;
  /** An operation is running (or being terminated): Terminate applies. */
  readonly running: boolean;
  /** Deleted, waiting for its resources to go (the resources finalizer). */
  readonly deleting: boolean;
  /** status.resources: what a sync can select, with each resource's wave. */
  readonly resources: readonly Json[];
  readonly repo: string;
  readonly path: string;
  readonly targetRevision: string;
  readonly destination: string;
}

export function viewOf(app: Json): AppView {
  const metadata = obj(app.metadata);
  const spec = obj(app.spec);
  const status = obj(app.status);
  const state = obj(status.operationState);
  const operation = obj(state.operation);
  const sync = obj(operation.sync);
  const source = obj(spec.source ?? list(spec.sources)[0]);
  const destination = obj(spec.destination);
  return {
    name: str(metadata.name),
    project: str(spec.project) || 'default',
    automated: typeof obj(spec.syncPolicy).automated === 'object' && obj(spec.syncPolicy).automated !== null,
    sync: str(obj(status.sync).status) || 'Unknown',
    health: str(obj(status.health).status) || 'Unknown',
    healthMessage: str(obj(status.health).message),
    revision: str(obj(status.sync).revision),
    conditions: list(status.conditions).map((condition) => ({ type: str(condition.type), message: str(condition.message) })),
    operation: str(state.phase) === '' ? undefined : {
      phase: str(state.phase), message: str(state.message), startedAt: str(state.startedAt), finishedAt: str(state.finishedAt),
      dryRun: sync.dryRun === true, prune: sync.prune === true, results: list(obj(state.syncResult).resources),
    },
    requested: app.operation !== undefined && app.operation !== null,
    running: str(state.phase) === 'Running' || str(state.phase) === 'Terminating',
    deleting: metadata.deletionTimestamp !== undefined && metadata.deletionTimestamp !== null,
    resources: list(status.resources),
    repo: str(source.repoURL), path: str(source.path) || str(source.chart), targetRevision: str(source.targetRevision) || 'HEAD',
    destination: `${str(destination.name) || str(destination.server)} / ${str(destination.namespace) || '—'}`,
  };
}

/**
 * The sync wave of an operation's result: its own `syncWave` when the server writes one, else the resource's wave in
 * status.resources (0 when not annotated), for grouping the results by wave.
 */
export function waveOf(resources: readonly Json[], result: Json): number {
  if (typeof result.syncWave === 'number') return result.syncWave;
  const match = resources.find((resource) => str(resource.kind) === str(result.kind) && str(resource.name) === str(result.name) && str(resource.namespace) === str(result.namespace) && str(resource.group) === str(result.group));
  return typeof match?.syncWave === 'number' ? match.syncWave : 0;
}

export interface WaveProgress {
  /** Which of the operation's waves is running, counted from 1, and how many there are. */
  readonly wave: number;
  readonly waves: number;
  /** Resources of the running wave applied so far, and the wave's size, when the message says. */
  readonly applied?: number;
  readonly total?: number;
}

/**
 * The controller's progress message while a sync runs — `wave 2/5: 7 of 12 resources applied` — read into numbers
 * for a progress bar; undefined for any other message (an older controller's, a hook's).
 */
export function waveProgress(message: string): WaveProgress | undefined {
  const wave = /\bwave (\d+)\/(\d+)/.exec(message);
  if (wave === null) return undefined;
  const counts = /(\d+) of (\d+) resources?/.exec(message);
  return {
    wave: Number(wave[1]), waves: Number(wave[2]),
    ...(counts === null ? {} : { applied: Number(counts[1]), total: Number(counts[2]) }),
  };
}
