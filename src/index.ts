/** Launchpad's library API. This file only re-exports. */
export * from './errors.js';
export * from './model/application.js';
export * from './model/resource.js';
export { ANNOTATION } from './model/annotations.js';
export type * from './source/types.js';
