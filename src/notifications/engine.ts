/**
 * The decision, without I/O: for one Application, every subscribed trigger's conditions are evaluated; a true
 * condition yields one delivery per destination not yet in the notified state (with its oncePer value in the key),
 * a false one re-arms its key. Failed deliveries are forgotten by the caller so the next change tries again — Argo
 * CD's notifications controller, step for step.
 */
import type { CompiledCondition, CompiledNotifications } from './compile.js';
import type { ConditionOutcome } from './state.js';
import { NOTIFIED_ANNOTATION, NotifiedState, stateKey } from './state.js';
import { destinationsFor } from './subscriptions.js';
import type { Destination } from './types.js';
import { notificationVars } from './vars.js';

export interface PlannedDelivery {
  readonly trigger: string;
  readonly templates: readonly string[];
  readonly destination: Destination;
  /** Forget this key if the delivery fails, so it is tried again. */
  readonly stateKey: string;
}

export interface TriggerProblem {
  readonly trigger: string;
  readonly message: string;
  /** Reported once per process under this key. @default the message */
  readonly once?: string;
}

export interface Evaluation {
  readonly deliveries: readonly PlannedDelivery[];
  readonly state: NotifiedState;
  /** Conditions that failed to evaluate (counted as false, as in Argo CD) and unknown triggers. */
  readonly problems: readonly TriggerProblem[];
}

export interface AppObject {
  readonly metadata: { readonly name?: string; readonly annotations?: Readonly<Record<string, string>>; readonly labels?: Readonly<Record<string, string>> };
  readonly status?: { readonly reconciledAt?: string; readonly operationState?: { readonly phase?: string; readonly finishedAt?: string; readonly [field: string]: unknown } };
}

/**
 * False while a finished operation is newer than the last reconcile: the sync status still describes the state
 * before the sync, and a trigger reading it would fire too early (Argo CD's notifications wait the same way).
 */
export function statusRefreshed(app: AppObject): boolean {
  // Not reconciled even once: every condition on status would fail on nil, and nothing about the app is known yet.
  if (app.status === undefined) return false;
  const operation = app.status.operationState;
  if (operation?.finishedAt === undefined || operation.phase === 'Running') return true;
  const reconciledAt = app.status.reconciledAt;
  return reconciledAt !== undefined && Date.parse(reconciledAt) >= Date.parse(operation.finishedAt);
}

/** An oncePer value as it goes into the state key (Go's %v of a string is the string). */
export function formatOncePer(value: unknown): string {
  if (value === undefined || value === null) return '<nil>';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `when` (an error counts as false, as in Argo CD) and, only when true, `oncePer`. */
function runCondition(condition: CompiledCondition, vars: Readonly<Record<string, unknown>>, problem: (message: string) => void): { triggered: boolean; oncePer: string } {
  let triggered = false;
  try {
    triggered = condition.when.evaluate(vars) === true;
  } catch (error) {
    problem(`when ${JSON.stringify(condition.source.when)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!triggered || condition.oncePer === undefined) return { triggered, oncePer: '' };
  try {
    return { triggered, oncePer: formatOncePer(condition.oncePer.evaluate(vars)) };
  } catch (error) {
    problem(`oncePer ${JSON.stringify(condition.source.oncePer)}: ${error instanceof Error ? error.message : String(error)}`);
    return { triggered, oncePer: '' };
  }
}

export function evaluateApp(compiled: CompiledNotifications, app: AppObject, projectAnnotations: Readonly<Record<string, string>> | undefined): Evaluation {
  const state = new NotifiedState(app.metadata.annotations?.[NOTIFIED_ANNOTATION]);
  const deliveries: PlannedDelivery[] = [];
  const problems: TriggerProblem[] = [];
  const destinations = destinationsFor({ appAnnotations: app.metadata.annotations, appLabels: app.metadata.labels, projectAnnotations }, compiled.config);
  const vars = notificationVars({ app, context: compiled.config.context });
  for (const [trigger, targets] of destinations) {
    const conditions = compiled.triggers.get(trigger);
    if (conditions === undefined) {
      // Said once per trigger, not once per app: with 30 subscribed apps it is one configuration problem.
      problems.push({ trigger, message: `trigger "${trigger}" is subscribed to (first by ${app.metadata.name ?? 'an application'}) but not configured in argocd-notifications-cm`, once: `unconfigured ${trigger}` });
      continue;
    }
    for (const condition of conditions) {
      const { triggered, oncePer } = runCondition(condition, vars, (message) => { problems.push({ trigger, message }); });
      const outcome: ConditionOutcome = { key: condition.key, oncePer };
      for (const destination of targets) {
        const key = stateKey(trigger, outcome, destination);
        // A false condition re-arms its key; keys carrying an oncePer value are other keys and stay.
        if (!triggered) state.forget(key);
        else if (state.markSent(key)) deliveries.push({ trigger, templates: condition.source.send, destination, stateKey: key });
      }
    }
  }
  return { deliveries, state, problems };
}
