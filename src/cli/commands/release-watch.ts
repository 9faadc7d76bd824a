/**
 * `launchpad release watch`: polls the registry for each app of a watch file and releases new tags through the
 * same path as set-image. Runs until SIGINT/SIGTERM, or once with `--once` (exit 0 something released, 1 nothing
 * to do, 2 an app failed).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { describeError } from '../../errors.js';
import { credentialLookup, defaultStateFile, loadWatchConfig, openWatchState, pollOnce } from '../../release/watch/index.js';
import type { AppReport, WatchConfig } from '../../release/watch/index.js';
import type { PreviewRequest } from '../../release/index.js';
import { EXIT, ExitCode } from '../exit.js';

interface WatchFlags {
  readonly config: string;
  readonly once?: boolean;
  readonly state?: string;
  readonly previewConfig?: string;
  readonly previewRoot: string[];
  readonly offline?: boolean;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly output: 'text' | 'json';
}

function print(reports: readonly AppReport[], output: WatchFlags['output']): void {
  if (output === 'json') {
    process.stdout.write(`${JSON.stringify({ schema: 'launchpad.release-watch/v1', time: new Date().toISOString(), apps: reports })}\n`);
    return;
  }
  for (const report of reports) process.stdout.write(`${report.outcome === 'error' ? 'error' : report.outcome}: ${report.message}\n`);
}

function codeOf(reports: readonly AppReport[]): number {
  if (reports.some((report) => report.outcome === 'error')) return EXIT.usage;
  return reports.some((report) => report.outcome === 'released') ? EXIT.ok : EXIT.failed;
}

function previewOf(flags: WatchFlags): PreviewRequest | undefined {
  return flags.previewConfig === undefined ? undefined : { configFile: flags.previewConfig, offline: flags.offline === true, ...(flags.previewRoot.length === 0 ? {} : { roots: flags.previewRoot }) };
}

/** Resolves after `ms`, or at once when the signal fires. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

async function run(flags: WatchFlags): Promise<number> {
  const config: WatchConfig = await loadWatchConfig(flags.config);
  const kube = { ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }), ...(flags.context === undefined ? {} : { context: flags.context }) };
  const credentials = await credentialLookup(config, kube);
  const state = await openWatchState(flags.state ?? defaultStateFile(config.file));
  const preview = previewOf(flags);
  const deps = { credentials, state, ...(preview === undefined ? {} : { preview }), onEvent: (message: string) => process.stderr.write(`release: ${message}\n`) };
  if (flags.once === true) {
    const reports = await pollOnce(config, deps);
    print(reports, flags.output);
    return codeOf(reports);
  }
  const stop = new AbortController();
  const onSignal = (): void => { stop.abort(); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    while (!stop.signal.aborted) {
      print(await pollOnce(config, deps), flags.output);
      await pause(config.intervalMs, stop.signal);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return EXIT.ok;
}

export function registerReleaseWatch(release: Command): void {
  release.command('watch')
    .description('poll an OCI registry for new tags of each app (semver range, regex or newest build) and release them like set-image, at most once per tag')
    .requiredOption('--config <file>', 'the watch file (repository, apps, images and policies)')
    .option('--once', 'poll once and exit (0 released, 1 nothing to do, 2 an app failed)')
    .option('--state <file>', 'where released tags are remembered (default: $XDG_STATE_HOME/launchpad/release-watch/)')
    .option('--preview-config <launchpad.yaml>', 'with pull requests: render the change with launchpad diff for the body')
    .option('--preview-root <file>', 'cluster root for the preview (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .option('--offline', 'preview without network')
    .option('--kubeconfig <file>', 'for credentials.secret: kubeconfig file')
    .option('--context <name>', 'for credentials.secret: kubeconfig context')
    .addOption(new Option('-o, --output <format>', 'output format (json: one line per poll)').choices(['text', 'json']).default('text'))
    .action(async (flags: WatchFlags) => {
      let code: number;
      try {
        code = await run(flags);
      } catch (error) {
        process.stderr.write(`launchpad release watch: ${describeError(error)}\n`);
        code = EXIT.usage;
      }
      if (code !== EXIT.ok) throw new ExitCode(code);
    });
}
