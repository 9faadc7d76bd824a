/**
 * What was already sent, kept where Argo CD keeps it — the Application's `notified.notifications.argoproj.io`
 * annotation, a JSON map from `[oncePer:]trigger:[index].sha1(when):service:recipient` to the Unix second it was
 * sent — so a restart (or a switch between Argo CD and Launchpad) neither repeats nor loses a notification. A
 * condition that turns false removes its key (re-arming it); keys with an oncePer value stay, so returning to an
 * already-notified revision sends nothing. At most 100 keys are kept, the oldest dropped first.
 */
import { createHash } from 'node:crypto';
import type { Destination } from './types.js';

export const NOTIFIED_ANNOTATION = 'notified.notifications.argoproj.io';
const MAX_ENTRIES = 100;

/** `[index].<sha1 of when, base64url>`: identifies one condition of a trigger across restarts. */
export function conditionKey(index: number, when: string): string {
  return `[${index}].${createHash('sha1').update(when).digest('base64url')}`;
}

export interface ConditionOutcome {
  readonly key: string;
  /** The oncePer expression's value (empty when the trigger has none or the condition is false). */
  readonly oncePer: string;
}

export function stateKey(trigger: string, outcome: ConditionOutcome, destination: Destination): string {
  const key = `${trigger}:${outcome.key}:${destination.service}:${destination.recipient}`;
  return outcome.oncePer === '' ? key : `${outcome.oncePer}:${key}`;
}

export class NotifiedState {
  private readonly entries: Map<string, number>;
  private changed = false;

  constructor(annotation: string | undefined) {
    this.entries = new Map(Object.entries(parseState(annotation)));
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Marks sent; false when it already was. */
  markSent(key: string, now = Date.now()): boolean {
    if (this.entries.has(key)) return false;
    this.entries.set(key, Math.floor(now / 1000));
    this.changed = true;
    return true;
  }

  /** Forgets a key (the condition turned false, or the send failed and must be retried). */
  forget(key: string): void {
    if (this.entries.delete(key)) this.changed = true;
  }

  get isChanged(): boolean {
    return this.changed;
  }

  /** The annotation value to write; undefined when nothing is left (the annotation is removed). */
  serialize(): string | undefined {
    const sorted = [...this.entries].sort(([, a], [, b]) => a - b);
    const kept = sorted.slice(Math.max(0, sorted.length - MAX_ENTRIES));
    return kept.length === 0 ? undefined : JSON.stringify(Object.fromEntries(kept));
  }
}

/** A missing or unreadable annotation is an empty state, as Argo CD treats it. */
function parseState(annotation: string | undefined): Record<string, number> {
  if (annotation === undefined || annotation === '') return {};
  try {
    const value = JSON.parse(annotation) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
  } catch {
    return {};
  }
}
