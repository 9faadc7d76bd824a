/** argocd-cm settings honoured by sync, diff --live, status and the controller; re-exported from src/index.ts. */
export { ARGOCD_CM_NAME, DEFAULT_ARGOCD_SETTINGS, DEFAULT_INSTANCE_LABEL_KEY, healthCustomizations, parseArgoCdCm } from '../model/argocd-cm.js';
export type { ArgoCdSettings, CompareOptions, FilteredResource, KnownTypeField, OverrideIgnoreDiff, ParsedArgoCdCm, ResourceOverride, TrackingMethod } from '../model/argocd-cm.js';
export { globalIgnoreRules, ignoreRulesFor, normalizeWithSettings } from './compare-settings.js';
export { knownTypeFieldsOf, normalizeKnownTypes, normalizerForType } from './known-types.js';
export { DEFAULT_ARGOCD_NAMESPACE, loadArgoCdSettingsFile, readArgoCdSettings } from './load.js';
export { canonicalDuration, canonicalQuantity } from './quantity.js';
export { CORE_EXCLUSIONS, excludedMessage, isExcludedKind, isExcludedObject, partitionExcluded } from './resource-filter.js';
export { DEFAULT_TRACKING, managingAppOf, truncateLabelValue, withTracking, withTrackingAll } from './tracking.js';
export type { Tracking } from './tracking.js';
export { DEFAULT_SETTINGS_REFRESH_MS, SettingsFollower } from './follow.js';
export type { SettingsFollowerOptions } from './follow.js';
