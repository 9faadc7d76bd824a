/**
 * `launchpad sync <app.yaml|root.yaml>`: render, then bring the cluster to the rendered state — dry-run everything,
 * apply wave by wave with health gates, prune, record the inventory. One line per event; a summary per application.
 * Exit 0 when every sync succeeded, 1 when one failed or was refused, 2 on usage errors.
 */
import type { Command } from 'commander';
import { LaunchpadError } from '../../errors.js';
import { assessHealth } from '../../health/index.js';
import { parseGoDuration } from '../../model/duration.js';
import type { ChangeSet } from '../../sync/changeset.js';
import { countActions } from '../../sync/changeset.js';
import { syncTree } from '../../sync/cascade.js';
import { addArgoCdCmOptions, argoCdSettingsFor } from '../argocd-cm-options.js';
import type { ArgoCdCmFlags } from '../argocd-cm-options.js';
import { EXIT, ExitCode } from '../exit.js';
import { addKubeOptions, kubeClientFor } from '../kube-options.js';
import { createSyncView } from '../output/sync-view.js';
import type { KubeFlags } from '../kube-options.js';
import { addRenderOptions, openRenderSession } from '../render-session.js';
import { reportProblems } from '../report.js';

interface SyncFlags extends KubeFlags, ArgoCdCmFlags {
  readonly config?: string;
  readonly offline?: boolean;
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  readonly timeout: string;
  readonly cascade?: boolean;
  readonly confirmPrune?: boolean;
}

export function summarize(changeSet: ChangeSet): string {
  const counts = Object.entries(countActions(changeSet)).map(([action, count]) => `${count} ${action}`).join(', ');
  const attempts = changeSet.attempts > 1 ? ` after ${changeSet.attempts} attempts` : '';
  const dryRun = changeSet.dryRun ? ' (dry run)' : '';
  const message = changeSet.message === '' ? '' : `: ${changeSet.message}`;
  return `${changeSet.app}: sync ${changeSet.outcome}${dryRun}${attempts} in ${(changeSet.durationMs / 1000).toFixed(1)}s — ${counts || 'nothing to do'}${message}`;
}

function timeoutMs(text: string): number {
  const parsed = parseGoDuration(text);
  if (parsed === undefined || parsed <= 0) throw new LaunchpadError(`--timeout ${text} is not a duration`, { fix: 'use a Go duration such as 90s, 5m or 1h' });
  return parsed;
}

export function registerSync(program: Command): void {
  addArgoCdCmOptions(addKubeOptions(addRenderOptions(program.command('sync'))))
    .description('sync an application (or a root and, with --cascade, its whole app-of-apps tree) to a cluster')
    .argument('<files...>', 'Application or root YAML files')
    .option('--prune', 'delete resources that left the desired state (default: the Application\'s syncPolicy.automated.prune)')
    .option('--dry-run', 'validate on the server and show what would change; write nothing')
    .option('--timeout <duration>', 'per-application sync timeout', '5m')
    .option('--cascade', 'also sync child Applications, each wave of children healthy before the next')
    .option('--confirm-prune', 'prune resources marked Prune=confirm too')
    .action(async (files: string[], flags: SyncFlags) => {
      const timeout = timeoutMs(flags.timeout);
      const client = await kubeClientFor(flags);
      const settings = await argoCdSettingsFor(flags, client, { strict: true });
      // Rendered for the cluster it syncs to: its version and API versions reach helm.
      const session = await openRenderSession(files, { ...flags, cluster: client });
      const abort = new AbortController();
      const onSignal = (): void => { abort.abort(); };
      process.once('SIGINT', onSignal);
      let failed = false;
      try {
        for (const file of files) {
          const tree = await session.render(file);
          const renderCode = reportProblems([tree], session.warnings);
          if (renderCode === EXIT.usage) throw new ExitCode(EXIT.usage);
          const results = await syncTree(tree, {
            client, assessHealth, timeoutMs: timeout, signal: abort.signal, settings,
            ...(flags.prune === true ? { prune: true } : {}),
            dryRun: flags.dryRun === true, cascade: flags.cascade === true, confirmPrune: flags.confirmPrune === true,
            ...createSyncView({ tty: process.stdout.isTTY, write: (text) => process.stdout.write(text), summarize }),
          });
          failed ||= results.some((result) => result.outcome !== 'Succeeded');
        }
      } finally {
        process.removeListener('SIGINT', onSignal);
      }
      if (failed) throw new ExitCode(EXIT.failed);
    });
}
