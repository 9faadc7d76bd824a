/**
 * The live mode of `launchpad diff`: for each application of the given files, a unified diff per resource between
 * the live object and what a sync would make of it (server-side dry-run, owned fields, ignoreDifferences, secrets
 * redacted). Exit 0 in sync, 1 differences, 2 error — as `kubectl diff`.
 */
import { assessHealth } from '../../health/index.js';
import { formatResourceKey } from '../../model/resource.js';
import { compareLive } from '../../sync/live-state.js';
import type { LiveState } from '../../sync/live-state.js';
import { argoCdSettingsFor } from '../argocd-cm-options.js';
import type { ArgoCdCmFlags } from '../argocd-cm-options.js';
import { EXIT } from '../exit.js';
import { kubeClientFor } from '../kube-options.js';
import type { KubeFlags } from '../kube-options.js';
import { openRenderSession } from '../render-session.js';
import { reportProblems } from '../report.js';

export interface LiveDiffFlags extends KubeFlags, ArgoCdCmFlags {
  readonly config?: string;
  readonly offline?: boolean;
}

export function formatLiveDiff(state: LiveState): string {
  const parts: string[] = [];
  for (const resource of state.resources) {
    if (resource.error !== undefined) parts.push(`# ${formatResourceKey(resource.key)}: cannot compare — ${resource.error}\n`);
    else if (resource.diff !== undefined && resource.diff.status !== 'in-sync') parts.push(`# ${formatResourceKey(resource.key)} (${resource.diff.status})\n${resource.diff.diff}`);
  }
  for (const diff of state.extraneous) parts.push(`# ${formatResourceKey(diff.key)} (extraneous: would be pruned)\n${diff.diff}`);
  for (const entry of state.excluded) parts.push(`# ${formatResourceKey(entry.key)} (excluded: ${entry.message} in argocd-cm; not synced or compared)\n`);
  return parts.join('\n');
}

/** Returns the exit code. */
export async function runLiveDiff(files: readonly string[], flags: LiveDiffFlags): Promise<number> {
  const client = await kubeClientFor(flags);
  const settings = await argoCdSettingsFor(flags, client);
  const session = await openRenderSession(files, { ...flags, cluster: client });
  let code: number = EXIT.ok;
  for (const file of files) {
    const tree = await session.render(file);
    const renderCode = reportProblems([tree], session.warnings);
    if (renderCode !== EXIT.ok) code = EXIT.usage;
    for (const app of tree.apps.filter((candidate) => candidate.status === 'ok')) {
      const state = await compareLive(app, { client, assessHealth, settings });
      const text = formatLiveDiff(state);
      if (text !== '') process.stdout.write(`=== ${app.name}\n${text}`);
      if (state.resources.some((resource) => resource.error !== undefined)) code = EXIT.usage;
      else if (state.sync !== 'Synced' && code === EXIT.ok) code = EXIT.failed;
    }
  }
  return code;
}
