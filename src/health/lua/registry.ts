/**
 * The Lua health checks in force for this process, and which one judges an object, in Argo CD's order
 * (util/lua GetHealthScript): argocd-cm by exact `group/Kind`, then argocd-cm keys with wildcards
 * (`*.example.io/*`, matched as Argo CD's glob: `*` spans any characters, `/` included), then a health folder laid
 * out like Argo CD's bundled resource_customizations by exact path, then its wildcard folders (`_` in a folder name
 * stands for `*`, which does not span `/`). Whatever no script claims goes to Launchpad's built-in checks.
 */
import type { LuaHealthScript } from './evaluate.js';

/** A script and the `group/Kind` (core kinds: `Kind`) or glob it judges. */
export interface CustomHealthCheck {
  readonly key: string;
  readonly script: LuaHealthScript;
}

export interface CustomHealthChecks {
  /** From argocd-cm: `resource.customizations.health.<group_kind>` and the legacy `resource.customizations` blob. */
  readonly argoCdConfigMap: readonly CustomHealthCheck[];
  /** From a folder of `<group>/<Kind>/health.lua` (--health-dir, launchpad.yaml `health.luaDir`). */
  readonly folder: readonly CustomHealthCheck[];
}

export const NO_CUSTOM_HEALTH_CHECKS: CustomHealthChecks = { argoCdConfigMap: [], folder: [] };

let current: CustomHealthChecks = NO_CUSTOM_HEALTH_CHECKS;

/** Sets the checks for this process (fields left out keep their current value). */
export function setCustomHealthChecks(checks: Partial<CustomHealthChecks>): void {
  current = { ...current, ...checks };
}

export function customHealthChecks(): CustomHealthChecks {
  return current;
}

const globCache = new Map<string, RegExp>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A glob as a regular expression: `*`, `?`, `[…]` and `{a,b}`; `anyChar` is what `*` and `?` may match. */
function globRegExp(pattern: string, anyChar: string): RegExp {
  const cacheKey = `${anyChar}\u0000${pattern}`;
  const cached = globCache.get(cacheKey);
  if (cached !== undefined) return cached;
  let source = '';
  let inAlternatives = false;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern.charAt(index);
    if (char === '*') source += `${anyChar}*`;
    else if (char === '?') source += anyChar;
    else if (char === '[') {
      const end = pattern.indexOf(']', index + 1);
      if (end === -1) source += '\\[';
      else {
        source += `[${pattern.slice(index + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        index = end;
      }
    } else if (char === '{') { source += '(?:'; inAlternatives = true; }
    else if (char === '}' && inAlternatives) { source += ')'; inAlternatives = false; }
    else if (char === ',' && inAlternatives) source += '|';
    else source += escapeRegExp(char);
  }
  let compiled: RegExp;
  try {
    compiled = new RegExp(`^${source}$`, 's');
  } catch {
    compiled = /(?!)/; // a malformed glob matches nothing, as a failed glob compile does in Argo CD
  }
  globCache.set(cacheKey, compiled);
  return compiled;
}

const isGlob = (key: string): boolean => /[*?[{]/.test(key);

/** Argo CD's glob for argocd-cm keys (gobwas/glob without separators). */
export function matchesConfigMapKey(pattern: string, key: string): boolean {
  return globRegExp(pattern, '.').test(key);
}

/** Argo CD's match for its wildcard folders (doublestar: `*` stays within one path segment). */
export function matchesFolderKey(pattern: string, key: string): boolean {
  return globRegExp(pattern, '[^/]').test(key);
}

function byKey(a: CustomHealthCheck, b: CustomHealthCheck): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The script that judges `group/Kind` (core kinds: `Kind`), if any, in Argo CD's order (see the module comment). */
export function findHealthScript(key: string, checks: CustomHealthChecks = current): LuaHealthScript | undefined {
  const exactConfig = checks.argoCdConfigMap.find((check) => check.key === key);
  if (exactConfig !== undefined) return exactConfig.script;
  // Argo CD ranges over a Go map here (any wildcard may win); sorted keys make the choice repeatable.
  const wildcardConfig = [...checks.argoCdConfigMap].sort(byKey).find((check) => isGlob(check.key) && matchesConfigMapKey(check.key, key));
  if (wildcardConfig !== undefined) return wildcardConfig.script;
  const exactFolder = checks.folder.find((check) => check.key === key);
  if (exactFolder !== undefined) return exactFolder.script;
  return [...checks.folder].sort(byKey).find((check) => isGlob(check.key) && matchesFolderKey(check.key, key))?.script;
}
