/**
 * Progressive syncs (`strategy.type: RollingSync`), as Argo CD's: steps select Applications by label
 * (`matchExpressions` with In/NotIn); generated Applications never sync automatically; the controller syncs step by
 * step — an Application moves Waiting → Pending (an operation written on it, at most `maxUpdate` of its step at
 * once) → Progressing (its sync started) → Healthy (Synced and Healthy), and a step starts only when every
 * Application of the steps before it is Healthy. Applications no step selects are never synced by the set.
 */
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import { deepEqual } from '../../diff/values.js';
import type { ApplicationSetSpec, RollingSyncStep } from '../spec.js';
import type { Condition } from './status.js';

export interface AppStepStatus {
  readonly application: string;
  readonly status: 'Waiting' | 'Pending' | 'Progressing' | 'Healthy';
  readonly message: string;
  readonly step: string;
  readonly targetRevisions: readonly string[];
  readonly lastTransitionTime: string;
}

function stepMatches(step: RollingSyncStep, labels: Readonly<Record<string, string>>): boolean {
  return step.matchExpressions.every((expression) => {
    const value = labels[expression.key];
    if (value === undefined) return expression.operator !== 'In';
    if (expression.operator === 'In') return (expression.values ?? []).includes(value);
    if (expression.operator === 'NotIn') return !(expression.values ?? []).includes(value);
    return false;
  });
}

/** Each Application's step index (the first step selecting it) and each step's Applications. */
export function assignSteps(steps: readonly RollingSyncStep[], apps: readonly KubeObject[]): { readonly stepOf: Map<string, number>; readonly byStep: string[][] } {
  const stepOf = new Map<string, number>();
  const byStep: string[][] = steps.map(() => []);
  for (const app of apps) {
    const name = app.metadata.name ?? '';
    steps.forEach((step, index) => {
      if (!stepMatches(step, app.metadata.labels ?? {})) return;
      byStep[index]?.push(name);
      if (!stepOf.has(name)) stepOf.set(name, index);
    });
  }
  return { stepOf, byStep };
}

function appStatus(app: KubeObject): Record<string, unknown> {
  return isPlainObject(app.status) ? app.status : {};
}

function revisionsOf(app: KubeObject): string[] {
  const sync = appStatus(app).sync;
  if (!isPlainObject(sync)) return [];
  if (Array.isArray(sync.revisions) && sync.revisions.length > 0) return sync.revisions.map(String);
  return typeof sync.revision === 'string' && sync.revision !== '' ? [sync.revision] : [];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function syncAndHealth(app: KubeObject): { readonly sync: string; readonly health: string; readonly startedAt: string | undefined } {
  const status = appStatus(app);
  const sync = isPlainObject(status.sync) ? text(status.sync.status) : '';
  const health = isPlainObject(status.health) ? text(status.health.status) : '';
  const startedAt = isPlainObject(status.operationState) && typeof status.operationState.startedAt === 'string' ? status.operationState.startedAt : undefined;
  return { sync, health, startedAt };
}

/** Desired Applications never sync automatically under RollingSync (the set decides when). */
export function withoutAutomatedSync(app: KubeObject): KubeObject {
  const spec = isPlainObject(app.spec) ? app.spec : {};
  const policy = isPlainObject(spec.syncPolicy) ? spec.syncPolicy : undefined;
  if (policy === undefined || !isPlainObject(policy.automated)) return app;
  return { ...app, spec: { ...spec, syncPolicy: { ...policy, automated: { ...policy.automated, enabled: false } } } };
}

interface StepInput {
  readonly previous: AppStepStatus | undefined;
  readonly live: KubeObject;
  readonly desired: KubeObject | undefined;
  readonly step: string;
  readonly now: string;
}

/** Moves along Waiting → Progressing/Healthy and Pending → Progressing → Healthy on what the Application shows. */
function advance(current: AppStepStatus, live: KubeObject, now: string): AppStepStatus {
  const { sync, health, startedAt } = syncAndHealth(live);
  if (current.status === 'Waiting' && sync === 'Synced') {
    return health === 'Healthy'
      ? { ...current, status: 'Healthy', lastTransitionTime: now, message: 'Application resource has synced, updating status to Healthy' }
      : { ...current, status: 'Progressing', lastTransitionTime: now, message: 'Application resource has synced, updating status to Progressing' };
  }
  // Times are written to the second: a sync that started in the second the Application became Pending counts.
  if (current.status === 'Pending' && startedAt !== undefined && Date.parse(startedAt) >= Date.parse(current.lastTransitionTime) - 1000) {
    return { ...current, status: 'Progressing', lastTransitionTime: now, message: 'Application resource became Progressing, updating status from Pending to Progressing' };
  }
  if (current.status === 'Progressing' && sync === 'Synced' && health === 'Healthy') {
    return { ...current, status: 'Healthy', lastTransitionTime: now, message: 'Application resource became Healthy, updating status from Progressing to Healthy' };
  }
  return current;
}

function nextStatus(input: StepInput): AppStepStatus {
  const { previous, live, desired, step, now } = input;
  const name = live.metadata.name ?? '';
  let current: AppStepStatus = previous ?? { application: name, status: 'Waiting', message: 'No Application status found, defaulting status to Waiting', step, targetRevisions: revisionsOf(live), lastTransitionTime: now };
  current = { ...current, step };
  const revisionsChanged = !deepEqual(current.targetRevisions, revisionsOf(live));
  const specChanged = desired !== undefined && !deepEqual(withoutAutomatedSync(desired).spec, live.spec);
  if (revisionsChanged || specChanged) {
    current = { ...current, targetRevisions: revisionsOf(live), status: 'Waiting', lastTransitionTime: now, message: revisionsChanged ? 'Application has pending changes (revision), setting status to Waiting' : 'Application has pending changes (spec), setting status to Waiting' };
  }
  return advance(current, live, now);
}

function maxUpdateOf(step: RollingSyncStep | undefined, total: number): number {
  const raw = step?.maxUpdate;
  if (raw === undefined) return Number.POSITIVE_INFINITY;
  if (typeof raw === 'number') return raw;
  const percent = /^(\d+)%$/.exec(raw);
  const value = percent?.[1] === undefined ? Number.parseInt(raw, 10) : Math.floor((Number(percent[1]) * total) / 100);
  return raw !== '0%' && Number.isFinite(value) && value < 1 ? 1 : Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
}

export interface RollingSyncPlan {
  readonly statuses: AppStepStatus[];
  /** Desired Applications with automated sync off, and an operation on those moving to Pending now. */
  readonly desired: KubeObject[];
  readonly condition: Condition;
}

const SYNC_REASON = 'ApplicationSet RollingSync triggered a sync of this Application resource';

function syncOperation(app: KubeObject): KubeObject {
  const spec = isPlainObject(app.spec) ? app.spec : {};
  const policy = isPlainObject(spec.syncPolicy) ? spec.syncPolicy : {};
  const automated = isPlainObject(policy.automated) ? policy.automated : undefined;
  return {
    ...app,
    operation: {
      initiatedBy: { username: 'applicationset-controller', automated: true },
      info: [{ name: 'Reason', value: SYNC_REASON }],
      sync: { ...(Array.isArray(policy.syncOptions) ? { syncOptions: policy.syncOptions } : {}), ...(automated?.prune === true ? { prune: true } : {}) },
      retry: isPlainObject(policy.retry) ? policy.retry : { limit: 5 },
    },
  };
}

function stepsToSync(byStep: readonly (readonly string[])[], statuses: ReadonlyMap<string, AppStepStatus>): Set<string> {
  const toSync = new Set<string>();
  for (const names of byStep) {
    for (const name of names) toSync.add(name);
    if (!names.every((name) => statuses.get(name)?.status === 'Healthy')) break;
  }
  return toSync;
}

function progressingCondition(steps: readonly RollingSyncStep[], statuses: readonly AppStepStatus[]): Condition {
  for (let index = 1; index <= steps.length; index += 1) {
    const inStep = statuses.filter((status) => status.step === String(index));
    if (inStep.length > 0 && inStep.some((status) => status.status !== 'Healthy')) {
      return { type: 'RolloutProgressing', status: 'True', reason: 'ApplicationSetModified', message: `ApplicationSet is performing rollout of step ${index}` };
    }
  }
  return { type: 'RolloutProgressing', status: 'False', reason: 'ApplicationSetRolloutComplete', message: 'ApplicationSet Rollout has completed' };
}

/** One round of the rollout: new per-Application statuses, the Applications to write, the condition. */
export interface RollingSyncInput {
  /** `status.applicationStatus` as the set has it. */
  readonly previous: readonly AppStepStatus[];
  /** The set's Applications as they are. */
  readonly live: readonly KubeObject[];
  /** The generated Applications (valid ones). */
  readonly desired: readonly KubeObject[];
  readonly now: string;
}

export function planRollingSync(appSet: ApplicationSetSpec, input: RollingSyncInput): RollingSyncPlan {
  const { previous, live, desired, now } = input;
  const steps = appSet.rollingSync?.steps ?? [];
  const { stepOf, byStep } = assignSteps(steps, desired);
  const desiredByName = new Map(desired.map((app) => [app.metadata.name ?? '', app]));
  const stepLabel = (name: string): string => String(stepOf.has(name) ? (stepOf.get(name) ?? 0) + 1 : -1);
  const statuses = new Map<string, AppStepStatus>();
  for (const app of live) {
    const name = app.metadata.name ?? '';
    statuses.set(name, nextStatus({ previous: previous.find((entry) => entry.application === name), live: app, desired: desiredByName.get(name), step: stepLabel(name), now }));
  }
  const toSync = stepsToSync(byStep, statuses);
  const updating = steps.map((_, index) => [...statuses.values()].filter((status) => stepOf.get(status.application) === index && (status.status === 'Pending' || status.status === 'Progressing')).length);
  for (const status of [...statuses.values()].sort((a, b) => a.application.localeCompare(b.application))) {
    const index = stepOf.get(status.application);
    if (index === undefined || status.status !== 'Waiting' || !toSync.has(status.application)) continue;
    const total = byStep[index]?.length ?? 0;
    if ((updating[index] ?? 0) >= maxUpdateOf(steps[index], total)) continue;
    statuses.set(status.application, { ...status, status: 'Pending', lastTransitionTime: now, message: 'Application moved to Pending status, watching for the Application resource to start Progressing' });
    updating[index] = (updating[index] ?? 0) + 1;
  }
  const result = [...statuses.values()].sort((a, b) => a.application.localeCompare(b.application));
  const plannedDesired = desired.map((app) => {
    const off = withoutAutomatedSync(app);
    const name = app.metadata.name ?? '';
    return toSync.has(name) && statuses.get(name)?.status === 'Pending' ? syncOperation(off) : off;
  });
  return { statuses: result, desired: plannedDesired, condition: progressingCondition(steps, result) };
}
