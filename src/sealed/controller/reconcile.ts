/**
 * One SealedSecret, as a narrative: open it with every key held → plan the Secret write (secret-write.ts) → write
 * it → record the outcome as the `Synced` condition, an event and metrics. Failures are classed: a SealedSecret
 * that cannot be opened, a Secret it may not overwrite or one the API server refuses is a terminal problem (a
 * condition and a Warning event, no retry until something changes); a conflict or an unreachable API server is
 * retried by the caller. Nothing here ever writes or logs a value: messages name objects and keys only.
 */
import { KubeError, describeError, isLaunchpadError } from '../../errors.js';
import type { KubeClient } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import type { Logger } from '../../controller/services.js';
import { eventFor } from '../../controller/events.js';
import { SealedSecretError, subjectOf } from '../errors.js';
import type { SealedSecret } from '../types.js';
import { SEALED_SECRET_KIND } from '../types.js';
import { unsealSealedSecret } from '../unseal.js';
import type { KeyRegistry } from './key-registry.js';
import type { SealedSecretsMetrics, UnsealErrorReason } from './metrics.js';
import { EVENT_COMPONENT, REASON_UNSEALED, REASON_UNSEAL_FAILED, REASON_UPDATE_FAILED } from './names.js';
import { planSecretWrite } from './secret-write.js';
import { nextStatus } from './status.js';

export interface UnsealerDeps {
  readonly client: KubeClient;
  readonly registry: KeyRegistry;
  readonly metrics: SealedSecretsMetrics;
  readonly log: Logger;
}

/** written/unchanged: Synced=True. failed: Synced=False, wait for a change. retry: try again later. */
export type ReconcileOutcome = 'written' | 'unchanged' | 'failed' | 'retry';

class TerminalProblem extends Error {
  constructor(
    message: string,
    readonly reason: UnsealErrorReason,
    readonly eventReason: string,
  ) {
    super(message);
  }
}

function event(deps: UnsealerDeps, sealed: SealedSecret, what: { readonly reason: string; readonly message: string; readonly type: 'Normal' | 'Warning' }): void {
  const { reason, message, type } = what;
  const base = eventFor(sealed as unknown as KubeObject, reason, message, type);
  const object = { ...base, source: { component: EVENT_COMPONENT }, reportingComponent: EVENT_COMPONENT };
  void deps.client.create(object).catch((error: unknown) => {
    deps.log.warn({ addon: 'sealed-secrets' }, `could not record event ${reason}: ${describeError(error)}`);
  });
}

/** Conflicts (someone wrote first) and unreachable or busy API servers pass; everything else is for the user. */
function isTransient(error: unknown): boolean {
  if (error instanceof KubeError && error.status === 409) return true;
  return isLaunchpadError(error) && error.retryable;
}

async function writeSecret(deps: UnsealerDeps, sealed: SealedSecret): Promise<'written' | 'unchanged'> {
  const subject = subjectOf(SEALED_SECRET_KIND, sealed.metadata);
  let unsealed;
  try {
    unsealed = unsealSealedSecret(sealed, deps.registry.privateKeys());
  } catch (error) {
    if (error instanceof SealedSecretError) throw new TerminalProblem(error.message, 'unseal', REASON_UNSEAL_FAILED);
    throw error;
  }
  const namespace = sealed.metadata?.namespace ?? '';
  const name = sealed.metadata?.name ?? '';
  const live = await deps.client.get({ apiVersion: 'v1', kind: 'Secret', namespace, name });
  const plan = planSecretWrite(unsealed, live, sealed.metadata?.uid);
  try {
    switch (plan.action) {
      case 'refuse':
        throw new TerminalProblem(`${subject}: ${plan.message}`, 'unmanaged', REASON_UPDATE_FAILED);
      case 'unchanged':
        return 'unchanged';
      case 'create':
        await deps.client.create(plan.secret);
        return 'written';
      case 'update':
        await deps.client.replace(plan.secret);
        return 'written';
    }
  } catch (error) {
    if (error instanceof TerminalProblem || isTransient(error)) throw error;
    throw new TerminalProblem(`${subject}: cannot write the Secret: ${describeError(error)}`, 'update', REASON_UPDATE_FAILED);
  }
}

async function writeStatus(deps: UnsealerDeps, sealed: SealedSecret, problem: string | undefined): Promise<void> {
  const generation = typeof sealed.metadata?.['generation'] === 'number' ? sealed.metadata['generation'] : undefined;
  const status = nextStatus(sealed.status, generation, problem);
  const namespace = sealed.metadata?.namespace ?? '';
  const name = sealed.metadata?.name ?? '';
  deps.metrics.observeCondition(namespace, name, problem === undefined);
  if (status === undefined) return;
  try {
    await deps.client.patch({ apiVersion: sealed.apiVersion ?? 'bitnami.com/v1alpha1', kind: SEALED_SECRET_KIND, namespace, name }, { status }, { subresource: 'status' });
  } catch (error) {
    // Non-fatal, as in Bitnami's controller: the Secret is what matters; the next change writes the status again.
    deps.metrics.unsealErrors.inc({ reason: 'status', namespace });
    deps.log.warn({ addon: 'sealed-secrets' }, `${subjectOf(SEALED_SECRET_KIND, sealed.metadata)}: cannot write status: ${describeError(error)}`);
  }
}

export async function reconcileSealedSecret(deps: UnsealerDeps, sealed: SealedSecret): Promise<ReconcileOutcome> {
  deps.metrics.unsealRequests.inc();
  const namespace = sealed.metadata?.namespace ?? '';
  try {
    const result = await writeSecret(deps, sealed);
    if (result === 'written') event(deps, sealed, { reason: REASON_UNSEALED, message: 'SealedSecret unsealed successfully', type: 'Normal' });
    await writeStatus(deps, sealed, undefined);
    return result;
  } catch (error) {
    if (!(error instanceof TerminalProblem)) {
      if (isTransient(error)) return 'retry';
      throw error;
    }
    deps.metrics.unsealErrors.inc({ reason: error.reason, namespace });
    event(deps, sealed, { reason: error.eventReason, message: error.reason === 'unseal' ? `Failed to unseal: ${error.message}` : error.message, type: 'Warning' });
    deps.log.warn({ addon: 'sealed-secrets' }, error.message);
    await writeStatus(deps, sealed, error.message);
    return 'failed';
  }
}
