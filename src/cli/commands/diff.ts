/**
 * `launchpad diff`: what a change does to every cluster. One command, several modes chosen from the flags in one
 * place (`modeOf`); each mode is a function in `MODES`:
 *   - revisions: `--base <rev> [--head <rev>] [--revision <repo>=<base>..<head>]` renders every cluster root at both
 *     revisions, offline-capable, and compares (src/preview);
 *   - live: `--live <app.yaml>` compares desired with a cluster's live state (server-side dry-run, owned fields).
 * Exit codes as `git diff --exit-code`: 0 no change, 1 changes, 2 an error (a render failure at either side, bad
 * flags, an unknown revision).
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { describeError } from '../../errors.js';
import { DEFAULT_MAX_MARKDOWN_CHARS, formatJson, formatMarkdown, formatText, outcomeOf, parseRevisionSpec, runPreview } from '../../preview/index.js';
import type { PreviewReport } from '../../preview/index.js';
import { EXIT, ExitCode } from '../exit.js';
import { addRenderOptions } from '../render-session.js';
import { runLiveDiff } from './diff-live.js';

export interface DiffFlags {
  readonly config?: string;
  readonly offline?: boolean;
  readonly base?: string;
  readonly head?: string;
  readonly revision: readonly string[];
  readonly output: 'text' | 'markdown' | 'json';
  readonly maxSize: number;
  /** `--no-cache`: render everything at both sides (no render cache, no impact analysis). */
  readonly cache: boolean;
  readonly context: number;
  readonly live?: boolean;
  readonly kubeconfig?: string;
  readonly kubeContext?: string;
  readonly argocdCm?: string;
  readonly argocdNamespace?: string;
  readonly policies?: string;
}

type DiffMode = (files: readonly string[], flags: DiffFlags) => Promise<number>;

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('must be a whole number');
  return number;
}

function progress(): ((message: string) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (message) => process.stderr.write(`\r\x1b[K${message}…`);
}

/** Failures and warnings go to stderr whatever the format, so CI logs show them next to the exit code. */
function reportToStderr(report: PreviewReport, seconds: string): void {
  const lines = report.warnings.map((warning) => `warning: ${warning}`);
  for (const cluster of report.clusters) {
    for (const error of cluster.errors) lines.push(`error: ${cluster.name}: ${error.side}: ${error.message}`);
    for (const app of cluster.applications) {
      if (app.change === 'error') for (const error of app.errors) lines.push(`error: ${cluster.name}: ${app.name}: ${error.side}: ${error.message}`);
    }
  }
  const { stats } = report;
  lines.push(`diff: ${report.clusters.length} cluster${report.clusters.length === 1 ? '' : 's'} in ${seconds} s; ${stats.unaffected} application${stats.unaffected === 1 ? '' : 's'} unaffected (not re-rendered); helm/kustomize processes: base ${stats.processes.base}, head ${stats.processes.head}; render-cache hits: base ${stats.cacheHits.base}, head ${stats.cacheHits.head}`);
  process.stderr.write(`${lines.join('\n')}\n`);
}

const diffRevisions: DiffMode = async (files, flags) => {
  const show = progress();
  const report = await runPreview({
    roots: files,
    revisions: flags.revision.map(parseRevisionSpec),
    offline: flags.offline === true,
    renderCache: flags.cache,
    impactAnalysis: flags.cache,
    context: flags.context,
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    ...(flags.base === undefined ? {} : { base: flags.base }),
    ...(flags.head === undefined ? {} : { head: flags.head }),
    ...(flags.policies === undefined ? {} : { policies: flags.policies }),
    ...(show === undefined ? {} : { onProgress: show }),
  });
  if (show !== undefined) process.stderr.write('\r\x1b[K');
  const formatted = flags.output === 'json' ? formatJson(report) : flags.output === 'markdown' ? formatMarkdown(report, { maxChars: flags.maxSize }) : formatText(report);
  process.stdout.write(formatted);
  reportToStderr(report, (report.stats.wallMs / 1000).toFixed(2));
  return outcomeOf(report);
};

const diffLive: DiffMode = (files, flags) => {
  if (files.length === 0) throw new Error('--live needs the Application or root files to compare — e.g. launchpad diff --live apps/shop.yaml');
  return runLiveDiff(files, {
    ...(flags.config === undefined ? {} : { config: flags.config }),
    ...(flags.offline === undefined ? {} : { offline: flags.offline }),
    ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
    ...(flags.kubeContext === undefined ? {} : { context: flags.kubeContext }),
    ...(flags.argocdCm === undefined ? {} : { argocdCm: flags.argocdCm }),
    ...(flags.argocdNamespace === undefined ? {} : { argocdNamespace: flags.argocdNamespace }),
  });
};

const MODES = { revisions: diffRevisions, live: diffLive } as const;

/** The one place that decides the mode from the flags. */
function modeOf(flags: DiffFlags): keyof typeof MODES {
  return flags.live === true ? 'live' : 'revisions';
}

export function registerDiff(program: Command): void {
  addRenderOptions(program.command('diff'))
    .description('show what a change does to every cluster: render all roots at two revisions and compare, offline-capable')
    .argument('[roots...]', 'root Application files (default: _app-of-apps-*.yaml under the current folder)')
    .option('--base <rev>', 'revision of the config repository (the one holding the roots) to compare with, e.g. origin/main')
    .option('--head <rev>', 'revision under review (default: the working tree, uncommitted edits included)')
    .option('--revision <repo>=<base>..<head>', 'revisions of another repository launchpad.yaml maps to a local folder (repeatable; <base>.. = working tree at head; <rev> alone = both sides)', (value: string, previous: string[]) => [...previous, value], [])
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--max-size <chars>', 'markdown: cut the largest diffs to stay under this many characters', positiveInteger, DEFAULT_MAX_MARKDOWN_CHARS)
    .option('-U, --context <lines>', 'lines of context in resource diffs', positiveInteger, 3)
    .option('--policies <dir>', 'folder of the config repository (read at head) with the Kyverno policies for the policy section (default: the kyverno.io policies the head tree renders)')
    .option('--no-cache', 'render every application at both revisions (no render cache, no impact analysis)')
    .option('--live', 'compare with the live cluster instead of another revision (exit 0 in sync, 1 differences, 2 error)')
    .option('--kubeconfig <file>', 'with --live: kubeconfig file (default: $KUBECONFIG, in-cluster, ~/.kube/config)')
    .option('--kube-context <name>', 'with --live: kubeconfig context (-U/--context is the diff context size)')
    .option('--argocd-cm <file>', 'with --live: argocd-cm ConfigMap manifest to take settings from (default: the cluster\'s argocd-cm)')
    .option('--argocd-namespace <name>', 'with --live: namespace of the cluster\'s argocd-cm (default: argocd)')
    .action(async (files: string[], flags: DiffFlags) => {
      let code: number;
      try {
        code = await MODES[modeOf(flags)](files, flags);
      } catch (error) {
        process.stderr.write(`launchpad diff: ${describeError(error)}\n`);
        code = EXIT.usage;
      }
      if (code !== EXIT.ok) throw new ExitCode(code);
    });
}
