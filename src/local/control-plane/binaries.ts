/**
 * Finds the control-plane binaries that `scripts/build-k8s.sh` builds. Order: `KUBEBUILDER_ASSETS` (the variable
 * controller-runtime's envtest reads, so an existing envtest download works too), then
 * `$LAUNCHPAD_K8S_BIN_DIR/<version>/`, default `~/.cache/launchpad/k8s-bin/<version>/`.
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ToolError } from '../../errors.js';
import { isExecutable } from '../../process/binaries.js';

/** The Kubernetes release the test control plane runs. Keep in step with tools/k8s/go.mod and scripts/build-k8s.sh. */
export const KUBERNETES_VERSION = '1.35.4';

export type ControlPlaneBinary = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kubectl' | 'kwok';

/** Tier 1 runs only these; tier 2 adds the rest. */
export const TIER1_BINARIES: readonly ControlPlaneBinary[] = ['etcd', 'kube-apiserver'];
export const TIER2_BINARIES: readonly ControlPlaneBinary[] = [...TIER1_BINARIES, 'kube-controller-manager', 'kube-scheduler', 'kwok'];

export const BUILD_HINT = 'run scripts/build-k8s.sh (builds them from the Go module proxy, ~7 min once on 2 cores) or set KUBEBUILDER_ASSETS to a folder that has them';

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

/**
 * The folder the binaries are taken from; it may not exist yet. Like scripts/build-k8s.sh, KUBEBUILDER_ASSETS
 * counts only when it names an existing folder.
 */
export function controlPlaneBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const assets = env.KUBEBUILDER_ASSETS;
  if (assets !== undefined && assets !== '' && isDirectory(assets)) return assets;
  const root = env.LAUNCHPAD_K8S_BIN_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'launchpad', 'k8s-bin');
  return join(root, KUBERNETES_VERSION);
}

/** The names of the wanted binaries that are missing from the folder. */
export function missingBinaries(wanted: readonly ControlPlaneBinary[], dir: string = controlPlaneBinDir()): ControlPlaneBinary[] {
  return wanted.filter((name) => !isExecutable(join(dir, name)));
}

/**
 * Absolute paths of all control-plane binaries in the folder, after checking that the wanted ones are there;
 * otherwise a ToolError naming what is missing and how to build it.
 */
export function findControlPlaneBinaries(
  wanted: readonly ControlPlaneBinary[],
  dir: string = controlPlaneBinDir(),
): Readonly<Record<ControlPlaneBinary, string>> {
  const missing = missingBinaries(wanted, dir);
  if (missing.length > 0) {
    throw new ToolError(`control-plane binaries missing in ${dir}: ${missing.join(', ')}`, { fix: BUILD_HINT });
  }
  const path = (name: ControlPlaneBinary): string => join(dir, name);
  return {
    etcd: path('etcd'),
    'kube-apiserver': path('kube-apiserver'),
    'kube-controller-manager': path('kube-controller-manager'),
    'kube-scheduler': path('kube-scheduler'),
    kubectl: path('kubectl'),
    kwok: path('kwok'),
  };
}
