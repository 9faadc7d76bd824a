/**
 * Finds the render helper binary: LAUNCHPAD_RENDER_HELPER, else the newest build `scripts/install-render-helper.sh`
 * left under the tools cache (~/.cache/launchpad/tools/render-helper-<helm>-k8s<kube>-<source hash>/). Undefined
 * when there is none: the caller then renders with the helm binary.
 */
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isExecutable } from '../../process/binaries.js';

export const RENDER_HELPER_ENV = 'LAUNCHPAD_RENDER_HELPER';

function toolsDir(): string {
  return process.env.LAUNCHPAD_TOOLS_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'launchpad', 'tools');
}

export function findRenderHelper(): string | undefined {
  const explicit = process.env[RENDER_HELPER_ENV];
  if (explicit !== undefined && explicit !== '') return isExecutable(explicit) ? explicit : undefined;
  let entries: string[];
  try {
    entries = readdirSync(toolsDir()).filter((entry) => entry.startsWith('render-helper-') && !entry.endsWith('.partial'));
  } catch {
    return undefined;
  }
  // Several builds can coexist (one per source hash); the one built last is the current source's.
  const candidates = entries.map((entry) => join(toolsDir(), entry, 'render-helper')).filter(isExecutable);
  return candidates.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}
