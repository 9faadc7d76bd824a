/** Launchpad's library API. This file only re-exports. */
export * from './errors.js';
export * from './model/application.js';
export * from './model/resource.js';
export { ANNOTATION } from './model/annotations.js';
export type * from './source/types.js';
export { createSourceResolver, findConfig, loadConfig, parseConfig, findMapping, fingerprintPath, normaliseRepoURL, redactURL, CONFIG_FILE_NAME } from './source/index.js';
export type { SourceResolverOptions, LaunchpadConfig, RepositoryMapping } from './source/index.js';
