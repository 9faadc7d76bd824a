/**
 * The resources and actions Argo CD's RBAC knows (its `rbac` package lists them). `can-i` refuses anything else with
 * a 400 as Argo CD does, so a typo in a UI or script is an error rather than a silent "no".
 */
export const RBAC_RESOURCES = ['clusters', 'projects', 'applications', 'applicationsets', 'repositories', 'write-repositories', 'certificates', 'accounts', 'gpgkeys', 'logs', 'exec', 'extensions'] as const;

export const RBAC_ACTIONS = ['get', 'create', 'update', 'delete', 'sync', 'override', 'action', 'invoke'] as const;

export const isRbacResource = (value: string): boolean => (RBAC_RESOURCES as readonly string[]).includes(value);
export const isRbacAction = (value: string): boolean => (RBAC_ACTIONS as readonly string[]).includes(value);
