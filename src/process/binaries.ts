/**
 * Finds the external binaries Launchpad drives. Order: an explicit environment variable (LAUNCHPAD_HELM,
 * LAUNCHPAD_KUSTOMIZE, LAUNCHPAD_GIT, LAUNCHPAD_JSONNET, LAUNCHPAD_JSONNET_DEPS), then the pinned copies `scripts/install-tools.sh` builds under
 * ~/.cache/launchpad/tools, then PATH. A missing binary is an error that says how to install it.
 */
import { accessSync, constants, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ToolError } from '../errors.js';

export type ToolName = 'helm' | 'kustomize' | 'git' | 'jsonnet' | 'jsonnet-deps';

const ENV_VARIABLE: Record<ToolName, string> = {
  helm: 'LAUNCHPAD_HELM', kustomize: 'LAUNCHPAD_KUSTOMIZE', git: 'LAUNCHPAD_GIT', jsonnet: 'LAUNCHPAD_JSONNET', 'jsonnet-deps': 'LAUNCHPAD_JSONNET_DEPS',
};

const INSTALL_HINT: Record<ToolName, string> = {
  helm: 'install Helm 3 (run scripts/install-tools.sh, or see https://helm.sh/docs/intro/install/) or set LAUNCHPAD_HELM to its path',
  kustomize: 'install kustomize 5 (run scripts/install-tools.sh) or set LAUNCHPAD_KUSTOMIZE to its path',
  git: 'install git (e.g. apt-get install git) or set LAUNCHPAD_GIT to its path',
  jsonnet: 'install go-jsonnet (run scripts/install-tools.sh) or set LAUNCHPAD_JSONNET to its path',
  'jsonnet-deps': 'install go-jsonnet\'s jsonnet-deps (run scripts/install-tools.sh) or set LAUNCHPAD_JSONNET_DEPS to its path',
};

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The newest pinned copy under the tools cache, e.g. ~/.cache/launchpad/tools/helm-v3.20.2/helm. */
function pinnedCopy(name: ToolName): string | undefined {
  const toolsDir = process.env.LAUNCHPAD_TOOLS_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'launchpad', 'tools');
  let entries: string[];
  try {
    entries = readdirSync(toolsDir).filter((entry) => entry.startsWith(`${name}-v`) && !entry.endsWith('.partial'));
  } catch {
    return undefined;
  }
  const newestFirst = entries.sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  return newestFirst.map((entry) => join(toolsDir, entry, name)).find(isExecutable);
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

const found = new Map<ToolName, string>();

/** The absolute path of a tool, or a ToolError saying how to install it. */
export function findBinary(name: ToolName): string {
  const cached = found.get(name);
  if (cached !== undefined) return cached;
  const explicit = process.env[ENV_VARIABLE[name]];
  if (explicit !== undefined && explicit !== '') {
    if (!isExecutable(explicit)) throw new ToolError(`${ENV_VARIABLE[name]}=${explicit} is not an executable file`, { fix: INSTALL_HINT[name] });
    found.set(name, explicit);
    return explicit;
  }
  const path = (name === 'git' ? undefined : pinnedCopy(name)) ?? onPath(name);
  if (path === undefined) throw new ToolError(`${name} not found`, { fix: INSTALL_HINT[name] });
  found.set(name, path);
  return path;
}

/** Forgets resolved paths (tests that change the environment). */
export function resetBinaryCache(): void {
  found.clear();
}
