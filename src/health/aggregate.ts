/**
 * The health of a set of resources (an application, a sync wave): the worst of theirs, with Argo CD's exclusions.
 *
 * Order, best to worst (Argo CD's): Healthy < Suspended < Progressing < Missing < Degraded < Unknown. Unknown is the
 * worst because nothing can be promised about a resource whose health could not be assessed — except for child
 * Applications, whose Missing or Unknown health never affects the parent (Argo CD's rule: a child that has not
 * reported yet must not make the parent Unknown).
 *
 * Left out, as in Argo CD: hooks (`argocd.argoproj.io/hook`, or `helm.sh/hook` other than `crd-install`) and
 * resources annotated `argocd.argoproj.io/ignore-healthcheck: "true"`. When every counted resource is absent, the
 * result is Missing.
 */
import { ANNOTATION } from '../model/annotations.js';
import { formatResourceKey, groupOf, resourceKey } from '../model/resource.js';
import type { KubeObject } from '../model/resource.js';
import type { HealthResult, HealthStatus } from './types.js';

/** One resource as assessed: the live object (undefined when it does not exist) and its health. */
export interface AssessedResource {
  readonly object: KubeObject | undefined;
  readonly health: HealthResult;
  /**
   * The desired object, if known: its annotations decide the exclusions when there is no live object, and it names
   * the resource in messages. @default undefined
   */
  readonly desired?: KubeObject | undefined;
}

export interface AggregateHealthOptions {
  /**
   * Leave resources that do not exist out of the result, as Argo CD 3 does for an application's health (its sync
   * status already says they are missing). Off, a missing resource makes the result Missing, so a sync wave waits for
   * it. @default false
   */
  readonly ignoreMissing?: boolean;
}

/** Best to worst. */
export const HEALTH_ORDER: readonly HealthStatus[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

/** True when `candidate` is worse than `current` in HEALTH_ORDER. */
export function isWorseHealth(current: HealthStatus, candidate: HealthStatus): boolean {
  return HEALTH_ORDER.indexOf(candidate) > HEALTH_ORDER.indexOf(current);
}

/** A hook (Argo CD's annotation, whatever its value, or a Helm hook other than `crd-install`). */
export function isHook(object: KubeObject): boolean {
  const annotations = object.metadata.annotations ?? {};
  if (annotations[ANNOTATION.hook] !== undefined) return true;
  const helmHook = annotations[ANNOTATION.helmHook];
  return helmHook !== undefined && helmHook !== 'crd-install';
}

/** Why a resource never counts toward the aggregate (a hook, ignored, a child app without health), or undefined. */
export function healthExclusion(resource: AssessedResource): string | undefined {
  const object = resource.object ?? resource.desired;
  if (object !== undefined && isHook(object)) return 'hook';
  if (object?.metadata.annotations?.[ANNOTATION.ignoreHealthcheck] === 'true') return `${ANNOTATION.ignoreHealthcheck}: "true"`;
  const { status } = resource.health;
  if (object !== undefined && groupOf(object.apiVersion) === 'argoproj.io' && object.kind === 'Application' && (status === 'Missing' || status === 'Unknown')) {
    return `child Application is ${status}`;
  }
  return undefined;
}

function describe(resource: AssessedResource): string {
  const object = resource.object ?? resource.desired;
  const key = object === undefined ? 'a resource' : formatResourceKey(resourceKey(object));
  return resource.health.message === '' ? key : `${key}: ${resource.health.message}`;
}

function summary(counted: readonly AssessedResource[], worst: AssessedResource | undefined): HealthResult {
  if (worst === undefined) {
    const message = counted.length === 0 ? 'no resources count toward health' : counted.length === 1 ? 'the one resource is healthy' : `all ${counted.length} resources are healthy`;
    return { status: 'Healthy', message };
  }
  const { status } = worst.health;
  const others = counted.filter((resource) => resource.health.status === status).length - 1;
  return { status, message: others === 0 ? describe(worst) : `${describe(worst)} (and ${others} more ${status})` };
}

/**
 * The worst health of the resources that count; its message names the first resource with that health, e.g.
 * `Deployment/shop/web: Waiting for rollout to finish: 1 of 3 updated replicas are available... (and 2 more Progressing)`.
 */
export function aggregateHealth(resources: readonly AssessedResource[], options: AggregateHealthOptions = {}): HealthResult {
  const candidates = resources.filter((resource) => healthExclusion(resource) === undefined);
  const counted = options.ignoreMissing === true ? candidates.filter((resource) => resource.object !== undefined) : candidates;
  let worst: AssessedResource | undefined;
  for (const resource of counted) {
    if (isWorseHealth(worst?.health.status ?? 'Healthy', resource.health.status)) worst = resource;
  }
  // Resources are expected but none exists: Missing, unless something worse was reported.
  const noneExist = candidates.length > 0 && candidates.every((resource) => resource.object === undefined);
  if (noneExist && isWorseHealth(worst?.health.status ?? 'Healthy', 'Missing')) {
    const [only, ...more] = candidates;
    return { status: 'Missing', message: only !== undefined && more.length === 0 ? describe(only) : `none of the ${candidates.length} resources exist` };
  }
  return summary(counted, worst);
}
