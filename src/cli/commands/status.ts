/**
 * `launchpad status <app.yaml>`: for each application of the file (and its tree), whether the cluster matches the
 * render and how healthy it is — per resource and overall. Exit 0 when everything is Synced and Healthy, 1 otherwise,
 * 2 on usage errors.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { assessHealth } from '../../health/index.js';
import { formatResourceKey } from '../../model/resource.js';
import type { LiveState } from '../../sync/live-state.js';
import { compareLive } from '../../sync/live-state.js';
import { addArgoCdCmOptions, argoCdSettingsFor } from '../argocd-cm-options.js';
import type { ArgoCdCmFlags } from '../argocd-cm-options.js';
import { EXIT, ExitCode } from '../exit.js';
import { addKubeOptions, kubeClientFor } from '../kube-options.js';
import type { KubeFlags } from '../kube-options.js';
import { formatTable } from '../output/table.js';
import { addRenderOptions, openRenderSession } from '../render-session.js';
import { reportProblems } from '../report.js';

interface StatusFlags extends KubeFlags, ArgoCdCmFlags {
  readonly config?: string;
  readonly offline?: boolean;
  readonly output: 'table' | 'json';
}

function syncOf(state: LiveState['resources'][number]): string {
  if (state.error !== undefined) return 'Unknown';
  return state.diff?.status === 'in-sync' ? 'Synced' : state.diff?.status === 'missing' ? 'Missing' : 'OutOfSync';
}

export function statusTable(state: LiveState): string {
  const rows = [
    ...state.resources.map((resource) => [formatResourceKey(resource.key), syncOf(resource), resource.health.status, resource.error ?? resource.health.message]),
    ...state.extraneous.map((diff) => [formatResourceKey(diff.key), 'Extraneous', '', 'in the inventory, no longer desired (prune with launchpad sync --prune)']),
    ...state.excluded.map((entry) => [formatResourceKey(entry.key), 'Excluded', '', `${entry.message} (argocd-cm): not synced or compared`]),
  ];
  const header = `${state.app}: ${state.sync}, ${state.health.status}${state.health.message === '' ? '' : ` — ${state.health.message}`}\n`;
  return header + formatTable(['RESOURCE', 'SYNC', 'HEALTH', 'MESSAGE'], rows);
}

export function registerStatus(program: Command): void {
  addArgoCdCmOptions(addKubeOptions(addRenderOptions(program.command('status'))))
    .description('show whether the cluster matches each application\'s render, and its health, per resource')
    .argument('<files...>', 'Application or root YAML files')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (files: string[], flags: StatusFlags) => {
      const client = await kubeClientFor(flags);
      const settings = await argoCdSettingsFor(flags, client);
      const session = await openRenderSession(files, { ...flags, cluster: client });
      const states: LiveState[] = [];
      for (const file of files) {
        const tree = await session.render(file);
        if (reportProblems([tree], session.warnings) === EXIT.usage) throw new ExitCode(EXIT.usage);
        for (const app of tree.apps.filter((candidate) => candidate.status === 'ok')) states.push(await compareLive(app, { client, assessHealth, settings }));
      }
      process.stdout.write(flags.output === 'json' ? `${JSON.stringify({ applications: states }, null, 2)}\n` : states.map(statusTable).join('\n'));
      if (states.some((state) => state.sync !== 'Synced' || state.health.status !== 'Healthy')) throw new ExitCode(EXIT.failed);
    });
}
