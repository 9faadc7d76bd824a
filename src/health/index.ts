/** Health assessment of live objects (pure): one file per kind, a dispatch table, and aggregation. Re-exports only. */
export type * from './types.js';
export { assessHealth, HOOK_FINALIZER, MISSING } from './assess.js';
export { aggregateHealth, healthExclusion, isHook, isWorseHealth, HEALTH_ORDER } from './aggregate.js';
export type { AggregateHealthOptions, AssessedResource } from './aggregate.js';
export { findHealthCheck, HEALTH_CHECKS, healthCheckKey } from './checks.js';
