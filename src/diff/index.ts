/** The diff layer's public surface; re-exported from src/index.ts. */
export type { DiffStatus, ResourceDiff } from './types.js';
export { DEFAULT_FIELD_MANAGER, diffResources, extraneousDiff } from './diff.js';
export type { DiffResourcesOptions, ExtraneousDiffOptions } from './diff.js';
export { LAST_APPLIED_ANNOTATION, SERVER_METADATA_FIELDS, normalizeForCompare } from './normalize.js';
export { HIDDEN, HIDDEN_CHANGED, canonicalizeSecret, redactForDisplay, secretValuePaths } from './secrets.js';
export { ignoreRuleMatches, matchingIgnoreRules } from './ignore.js';
export type { IgnoreOptions } from './ignore.js';
export { respectIgnoreDifferences } from './respect.js';
export { DEFAULT_JQ_TIMEOUT_MS, jqPaths, stopJqWorker } from './jq.js';
export type { JqOptions, JqPathsResult } from './jq.js';
export { managedFieldSet, parseFieldsV1, projectOntoFieldSet, removeFieldSet, unionFieldSets } from './field-set.js';
export type { FieldElement, FieldSet, FieldSetChild } from './field-set.js';
export { DiffError, parseJsonPointer } from './values.js';
export type { PathStep, ValuePath } from './values.js';
