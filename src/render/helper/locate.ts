/**
 * Finds the render helper binaries (ADR 30): an explicit environment variable, else the newest build
 * `scripts/install-render-helper.sh` left under the tools cache —
 * ~/.cache/launchpad/tools/render-helper-<helm>-k8s<kube>-<source hash>/render-helper for helm and
 * ~/.cache/launchpad/tools/render-kustomize-<kustomize>-<source hash>/render-helper-kustomize for kustomize.
 * Undefined when there is none: the caller then renders with the binary.
 */
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isExecutable } from '../../process/binaries.js';

/** The tools a helper renders for; each has its own helper program (their Go module graphs differ). */
export type HelperTool = 'helm' | 'kustomize';

interface HelperLayout {
  /** Environment variable naming the binary explicitly. */
  readonly env: string;
  /** Build folders start with this (the script's naming). */
  readonly folderPrefix: string;
  readonly binaryName: string;
}

export const RENDER_HELPER_ENV = 'LAUNCHPAD_RENDER_HELPER';
export const KUSTOMIZE_HELPER_ENV = 'LAUNCHPAD_RENDER_HELPER_KUSTOMIZE';

const LAYOUT: Record<HelperTool, HelperLayout> = {
  helm: { env: RENDER_HELPER_ENV, folderPrefix: 'render-helper-', binaryName: 'render-helper' },
  kustomize: { env: KUSTOMIZE_HELPER_ENV, folderPrefix: 'render-kustomize-', binaryName: 'render-helper-kustomize' },
};

function toolsDir(): string {
  return process.env.LAUNCHPAD_TOOLS_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'launchpad', 'tools');
}

/** The helper binary for a tool (helm when not said), or undefined when none is built or the named one is unusable. */
export function findRenderHelper(tool: HelperTool = 'helm'): string | undefined {
  const layout = LAYOUT[tool];
  const explicit = process.env[layout.env];
  if (explicit !== undefined && explicit !== '') return isExecutable(explicit) ? explicit : undefined;
  let entries: string[];
  try {
    entries = readdirSync(toolsDir()).filter((entry) => entry.startsWith(layout.folderPrefix) && !entry.endsWith('.partial'));
  } catch {
    return undefined;
  }
  // Several builds can coexist (one per source hash); the one built last is the current source's.
  const candidates = entries.map((entry) => join(toolsDir(), entry, layout.binaryName)).filter(isExecutable);
  return candidates.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** Why findRenderHelper found nothing, in words a user can act on. */
export function missingHelperReason(tool: HelperTool): string {
  const explicit = process.env[LAYOUT[tool].env];
  if (explicit !== undefined && explicit !== '') return `${LAYOUT[tool].env}=${explicit} is not an executable file`;
  return `no ${tool} render helper is built (run scripts/install-render-helper.sh)`;
}
