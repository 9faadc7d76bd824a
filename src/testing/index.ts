/** Public test helpers (control plane, git fixtures, object builders). This file only re-exports. */
export {};
export * from './git-fixtures.js';
export * from './control-plane.js';
