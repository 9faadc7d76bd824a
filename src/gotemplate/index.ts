/** Launchpad's Go text/template engine with the Sprig functions (notifications, ApplicationSets' goTemplate). */
export { compileGoTemplate } from './compile.js';
export { GoFunctionError, GoTemplateError, isGoTemplateError } from './errors.js';
export { SPRIG_FUNCTIONS } from './sprig/index.js';
export type { CompiledGoTemplate, GoTemplateFunction, GoTemplateOptions } from './types.js';
