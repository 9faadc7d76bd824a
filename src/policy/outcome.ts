/** A rule's outcome before it is labelled with policy, rule and resource. */
import type { RuleStatus } from './api.js';

export interface Outcome {
  readonly status: RuleStatus;
  readonly message: string;
}

export const pass = (message: string): Outcome => ({ status: 'pass', message });
export const fail = (message: string): Outcome => ({ status: 'fail', message });
export const skip = (message: string): Outcome => ({ status: 'skip', message });
export const errored = (message: string): Outcome => ({ status: 'error', message });
