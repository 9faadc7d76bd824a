/** Lua health checks as Argo CD runs them (fengari sandbox, argocd-cm and folder sources, health_test.yaml). Re-exports only. */
export { evaluateLuaHealth, LUA_HEALTH_STATUSES } from './evaluate.js';
export type { LuaHealthOutcome, LuaHealthScript } from './evaluate.js';
export { DEFAULT_LUA_BUDGET } from './sandbox.js';
export type { LuaBudget } from './sandbox.js';
export { customHealthChecks, findHealthScript, NO_CUSTOM_HEALTH_CHECKS, setCustomHealthChecks } from './registry.js';
export type { CustomHealthCheck, CustomHealthChecks } from './registry.js';
export { luaHealthFromArgoCdConfigMap, luaHealthFromArgoCdSettings } from './argocd-cm.js';
export { loadLuaHealthDir } from './folder.js';
export { runHealthTests } from './health-test.js';
export type { HealthTestCase, HealthTestReport } from './health-test.js';
