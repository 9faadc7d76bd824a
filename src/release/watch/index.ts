/** `launchpad release watch` as a library. This file only re-exports. */
export { loadWatchConfig, parseWatchConfig } from './config.js';
export type { WatchConfig, WatchedApp } from './config.js';
export { credentialLookup } from './credentials.js';
export type { CredentialLookup } from './credentials.js';
export { lookupCredentials, parseDockerConfig } from './docker-config.js';
export type { DockerConfig, RegistryCredentials } from './docker-config.js';
export { parseImageName } from './image-ref.js';
export type { ImageName } from './image-ref.js';
export { chooseTag, isNewer } from './policy.js';
export type { Choice, TagPolicy } from './policy.js';
export { createRegistryClient } from './registry.js';
export { defaultStateFile, openWatchState } from './state.js';
export type { WatchState } from './state.js';
export { pollOnce } from './watch.js';
export type { AppOutcome, AppReport } from './watch.js';
