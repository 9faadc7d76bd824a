/** The Kyverno-compatible policy engine. See ./api.ts for the contract and docs/adr/0023-policy-engine.md. */
import { admit, mutate, scan, validate } from './admission.js';
import type { PolicyEngine } from './api.js';
import { cleanup, nextCleanupRun } from './cleanup.js';
import { cloneSources, generate } from './generate.js';
import { loadPolicy } from './load.js';
import { mutateExisting } from './mutate-existing.js';

export * from './api.js';
export { PolicyError } from './errors.js';
export { loadPolicy } from './load.js';
export { admit, mutate, scan, validate } from './admission.js';
export { cloneSources, generate, GENERATE_LABELS, withoutServerFields } from './generate.js';
export { cleanup, nextCleanupRun } from './cleanup.js';
export { mutateExisting } from './mutate-existing.js';

/** The engine as one object, for callers that take the contract (the cluster half). */
export const policyEngine: PolicyEngine = { loadPolicy, mutate, validate, admit, scan, generate, cloneSources, mutateExisting, cleanup, nextCleanupRun };
