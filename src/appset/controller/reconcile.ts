/**
 * One reconcile of one ApplicationSet, as a narrative of Argo CD's steps: read the set, generate its Applications
 * (any error stops here: nothing is created, changed or deleted), check them (name, project, destination), plan
 * the rollout (RollingSync), create or update what the policy allows, delete what the set no longer generates when
 * the policy allows it, and record conditions and resources in the status.
 */
import { describeError } from '../../errors.js';
import type { Logger } from '../../controller/services.js';
import type { KubeClient } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import type { GeneratorContext } from '../context.js';
import { checkGeneratedNames, generateApplications } from '../generate.js';
import type { GoTemplateCache } from '../go-template.js';
import { requeueAfterMs } from '../requeue.js';
import type { ApplicationSetSpec } from '../spec.js';
import { readApplicationSet } from '../spec.js';
import { IN_CLUSTER, secretField } from '../generators/clusters.js';
import { controllingSet, createdApplication, updatedApplication } from './owned.js';
import { planRollingSync } from './rolling-sync.js';
import type { AppStepStatus } from './rolling-sync.js';
import { writeStatus } from './write-status.js';
import type { Condition } from './status.js';
import { conditionsFor } from './status.js';

/** Argo CD's wait before retrying a set whose generation or validation failed. */
export const REQUEUE_ON_ERROR_MS = 180_000;
/** After a failed write (a conflict with the Application controller), retry soon. */
export const REQUEUE_ON_WRITE_ERROR_MS = 5_000;

/** While a rollout is under way, look again this often even when no event comes. */
export const ROLLOUT_POLL_MS = 5_000;

function minimum(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}

export interface ReconcileDeps {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly log: Logger;
  /** Applications in the namespace, as last watched. */
  readonly applications: () => readonly KubeObject[];
  readonly clusterSecrets: () => readonly KubeObject[];
  readonly context: () => Promise<GeneratorContext>;
  readonly goCache: (ref: string) => GoTemplateCache;
  readonly now?: () => string;
}

export interface ReconcileResult {
  readonly requeueAfterMs?: number;
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
}

const NOTHING: ReconcileResult = { created: 0, updated: 0, deleted: 0 };

async function projectError(spec: Readonly<Record<string, unknown>>, client: KubeClient, namespace: string): Promise<string | undefined> {
  const project = typeof spec.project === 'string' && spec.project !== '' ? spec.project : 'default';
  // Launchpad's Application controller lets `default` allow everything when it is not defined; so does the set.
  if (project === 'default') return undefined;
  return await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', namespace, name: project }) === undefined ? `application references project ${project} which does not exist` : undefined;
}

async function destinationError(app: KubeObject, clusterSecrets: readonly KubeObject[], client: KubeClient, namespace: string): Promise<string | undefined> {
  const spec = isPlainObject(app.spec) ? app.spec : {};
  const noProject = await projectError(spec, client, namespace);
  if (noProject !== undefined) return noProject;
  const destination = isPlainObject(spec.destination) ? spec.destination : {};
  const server = typeof destination.server === 'string' ? destination.server.replace(/\/+$/, '') : '';
  const name = typeof destination.name === 'string' ? destination.name : '';
  const clusters = [{ ...IN_CLUSTER }, ...clusterSecrets.map((secret) => ({ name: secretField(secret, 'name') ?? '', server: (secretField(secret, 'server') ?? '').replace(/\/+$/, '') }))];
  if (server !== '' && name !== '') return 'application destination spec is invalid: application destination can\'t have both name and server defined';
  if (server === '' && name === '') return 'application destination spec is invalid: application destination server \'\' and/or name \'\' is missing';
  const known = server !== '' ? clusters.some((cluster) => cluster.server === server) : clusters.some((cluster) => cluster.name === name);
  return known ? undefined : `application destination spec is invalid: there are no clusters with this ${server !== '' ? `URL: ${server}` : `name: ${name}`}`;
}

async function validate(apps: readonly KubeObject[], appSet: ApplicationSetSpec, deps: ReconcileDeps): Promise<Map<string, string>> {
  const errors = checkGeneratedNames(apps, appSet);
  for (const app of apps) {
    const name = app.metadata.name ?? '';
    if (errors.has(name)) continue;
    const problem = await destinationError(app, deps.clusterSecrets(), deps.client, deps.namespace);
    if (problem !== undefined) errors.set(name, problem);
  }
  return errors;
}

function previousStepStatuses(object: KubeObject): AppStepStatus[] {
  const status = isPlainObject(object.status) ? object.status : {};
  return Array.isArray(status.applicationStatus) ? (status.applicationStatus.filter(isPlainObject) as unknown as AppStepStatus[]) : [];
}

interface Written {
  created: number;
  updated: number;
  deleted: number;
  readonly live: Map<string, KubeObject>;
  readonly errors: string[];
}

async function writeApplications(desired: readonly KubeObject[], appSet: ApplicationSetSpec, written: Written, deps: ReconcileDeps): Promise<void> {
  const allowUpdate = appSet.policy === 'sync' || appSet.policy === 'create-update';
  for (const app of [...desired].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const name = app.metadata.name ?? '';
    const live = written.live.get(name) ?? deps.applications().find((entry) => entry.metadata.name === name);
    try {
      if (live === undefined) {
        written.live.set(name, await deps.client.create(createdApplication(app, appSet)));
        written.created += 1;
      } else if (allowUpdate) {
        const next = await updatedApplication(live, app, appSet);
        if (next === undefined) continue;
        written.live.set(name, await deps.client.replace(next));
        written.updated += 1;
      }
    } catch (error) {
      written.errors.push(`Application ${deps.namespace}/${name}: ${describeError(error)}`);
    }
  }
}

async function deleteStale(owned: readonly KubeObject[], generatedNames: ReadonlySet<string>, written: Written, deps: ReconcileDeps): Promise<void> {
  for (const app of owned) {
    const name = app.metadata.name ?? '';
    // Already being deleted (its resources finalizer at work): asking again would change nothing.
    if (generatedNames.has(name) || app.metadata.deletionTimestamp !== undefined) continue;
    try {
      // Background, as Argo CD's client deletes: the Application controller's resources finalizer does the cascade.
      await deps.client.delete({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: deps.namespace, name }, { propagationPolicy: 'Background' });
      written.live.delete(name);
      written.deleted += 1;
    } catch (error) {
      written.errors.push(`Application ${deps.namespace}/${name}: delete failed: ${describeError(error)}`);
    }
  }
}

function outcomeConditions(written: Written, validation: ReadonlyMap<string, string>): Condition[] {
  if (written.errors.length > 0) return conditionsFor({ parametersGenerated: true, error: { reason: 'UpdateApplicationError', message: written.errors[0] ?? '' } });
  if (validation.size > 0) {
    const names = [...validation.keys()].sort();
    const message = `${validation.get(names.at(-1) ?? '') ?? ''}${names.length > 1 ? ` (and ${names.length - 1} more)` : ''}`;
    return conditionsFor({ parametersGenerated: true, error: { reason: 'ApplicationValidationError', message } });
  }
  return conditionsFor({ parametersGenerated: true });
}

/** The generated Applications, or why generation failed (logged). */
async function generate(appSet: ApplicationSetSpec, deps: ReconcileDeps): Promise<KubeObject[] | string> {
  try {
    return (await generateApplications(appSet, await deps.context(), deps.goCache(appSet.ref))).applications;
  } catch (error) {
    deps.log.warn({ applicationset: appSet.ref }, `generation failed, nothing changed: ${describeError(error)}`);
    return describeError(error);
  }
}

function nextRound(appSet: ApplicationSetSpec, written: Written, validation: ReadonlyMap<string, string>, rollout: Condition | undefined): number | undefined {
  if (written.errors.length > 0) return REQUEUE_ON_WRITE_ERROR_MS;
  if (validation.size > 0) return REQUEUE_ON_ERROR_MS;
  return minimum(requeueAfterMs(appSet.generators), rollout?.status === 'True' ? ROLLOUT_POLL_MS : undefined);
}

export async function reconcileApplicationSet(object: KubeObject, deps: ReconcileDeps): Promise<ReconcileResult> {
  const now = deps.now?.() ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const fail = async (reason: string, message: string, parametersGenerated = false): Promise<ReconcileResult> => {
    await writeStatus(deps.client, object, { conditions: conditionsFor({ parametersGenerated, error: { reason, message } }) }, now);
    return { ...NOTHING, requeueAfterMs: REQUEUE_ON_ERROR_MS };
  };
  if (object.metadata.deletionTimestamp !== undefined) return NOTHING;
  let appSet: ApplicationSetSpec;
  try {
    appSet = readApplicationSet(object, deps.namespace);
  } catch (error) {
    return fail('ApplicationSetSpecError', describeError(error));
  }
  const generated = await generate(appSet, deps);
  // The rule users count on: a generator that fails deletes nothing, changes nothing.
  if (typeof generated === 'string') return fail('ApplicationParamsGenerationError', generated);
  if (appSet.rollingSyncWithoutSteps) return fail('ApplicationSetRolloutError', 'No steps defined for rollout', true);
  const validation = await validate(generated, appSet, deps);
  const owned = deps.applications().filter((app) => controllingSet(app) === appSet.name);
  let valid = generated.filter((app) => !validation.has(app.metadata.name ?? ''));
  let rollout: ReturnType<typeof planRollingSync> | undefined;
  if (appSet.rollingSync !== undefined) {
    rollout = planRollingSync(appSet, { previous: previousStepStatuses(object), live: owned, desired: valid, now });
    valid = rollout.desired;
  }
  const written: Written = { created: 0, updated: 0, deleted: 0, live: new Map(owned.map((app) => [app.metadata.name ?? '', app])), errors: [] };
  await writeApplications(valid, appSet, written, deps);
  if (appSet.policy === 'sync' || appSet.policy === 'create-delete') await deleteStale(owned, new Set(generated.map((app) => app.metadata.name ?? '')), written, deps);
  const conditions = [...outcomeConditions(written, validation), ...(rollout === undefined ? [] : [rollout.condition])];
  await writeStatus(deps.client, object, { conditions, live: [...written.live.values()], ...(rollout === undefined ? {} : { applicationStatus: rollout.statuses }) }, now);
  const after = nextRound(appSet, written, validation, rollout?.condition);
  return { created: written.created, updated: written.updated, deleted: written.deleted, ...(after === undefined ? {} : { requeueAfterMs: after }) };
}
