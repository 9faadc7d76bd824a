/** Image-tag releases (`launchpad release`) as a library. This file only re-exports. */
export type * from './types.js';
export { setImage } from './set-image.js';
export { DEFAULT_MAX_ATTEMPTS, ReleaseConflictError, prepare } from './settle.js';
export { DEFAULT_KEY, formatKeyPath, parseKeyPath } from './key-path.js';
export type { KeyPath } from './key-path.js';
export { setScalar, readScalar } from './values-edit.js';
export type { ScalarEdit } from './values-edit.js';
export { imageVersion, tagProblem, compileAllowTags } from './image-version.js';
export { valuesFilePath, DEFAULT_FILE, DEFAULT_CLUSTER_FILE } from './values-file.js';
export { BODY_MARKER, pullRequestBranch } from './pull-request.js';
export { FORGE_KINDS } from './forge/index.js';
export type { ForgeKind } from './forge/index.js';
export { releaseExitCode } from './exit-code.js';
