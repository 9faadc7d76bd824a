/** The source layer's public API. This file only re-exports. */
export type * from './types.js';
export { createSourceResolver } from './resolver.js';
export type { SourceResolverOptions } from './resolver.js';
export { CONFIG_FILE_NAME, findConfig, findMapping, loadConfig, parseConfig } from './config.js';
export type { LaunchpadConfig, RepositoryMapping } from './config.js';
export { fingerprintChart, fingerprintPath, MISSING_FINGERPRINT } from './fingerprint.js';
export { defaultCacheDir } from './cache-dir.js';
export { cacheSlug, normaliseRepoURL, redactURL, sameRepoURL } from './url.js';
export { pickVersion } from './helm-version.js';
export { CredentialStore, SECRET_TYPE_LABEL } from './credentials.js';
export type { RepoCredentials, RepoType } from './credentials.js';
