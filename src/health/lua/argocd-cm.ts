/**
 * Health scripts from argocd-cm, as Argo CD reads them (util/settings): `resource.customizations.health.<group_kind>`
 * (`<Kind>` for the core group, `all` for every kind, `_` between group and kind), its
 * `resource.customizations.useOpenLibs.<group_kind>`, and the legacy `resource.customizations` YAML blob's
 * `health.lua` / `health.lua.useOpenLibs`. Parsing itself is model/argocd-cm's; this names each script by the key
 * it came from, so an error in it says where to look.
 */
import { healthCustomizations, parseArgoCdCm } from '../../model/argocd-cm.js';
import type { ArgoCdSettings } from '../../model/argocd-cm.js';
import type { CustomHealthCheck } from './registry.js';

const SPLIT_PREFIX = 'resource.customizations.health.';

/** `cert-manager.io/Certificate` → `cert-manager.io_Certificate`; `*` + `/` + `*` → `all`. */
function splitKeySuffix(overrideKey: string): string {
  return overrideKey === '*/*' ? 'all' : overrideKey.replace('/', '_');
}

function originOf(overrideKey: string, settings: ArgoCdSettings): string {
  const splitKey = `${SPLIT_PREFIX}${splitKeySuffix(overrideKey)}`;
  const where = settings.origin === 'argocd-cm' ? 'argocd-cm' : `argocd-cm (${settings.origin})`;
  return splitKey in settings.data ? `${where} ${splitKey}` : `${where} resource.customizations "${overrideKey}" health.lua`;
}

/** The health scripts of settings already parsed by model/argocd-cm. */
export function luaHealthFromArgoCdSettings(settings: ArgoCdSettings): CustomHealthCheck[] {
  return [...healthCustomizations(settings)].map(([key, { lua, useOpenLibs }]) => ({
    key,
    script: { source: lua, origin: originOf(key, settings), openLibs: useOpenLibs },
  }));
}

/** The health scripts of an argocd-cm `data` map. Pure; keys that cannot be read are left out (see parseArgoCdCm). */
export function luaHealthFromArgoCdConfigMap(data: Readonly<Record<string, string>>): CustomHealthCheck[] {
  return luaHealthFromArgoCdSettings(parseArgoCdCm(data).settings);
}
