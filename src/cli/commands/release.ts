/**
 * `launchpad release`: CI's last step made exact. `set-image` changes one application's image version in the
 * values repository (format-preserving, race-free push or a pull request with the preview); `watch` does it for
 * new tags in an OCI registry. Exit codes: 0 done, 1 nothing to do, 2 error.
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { describeError } from '../../errors.js';
import { DEFAULT_KEY, DEFAULT_MAX_ATTEMPTS, FORGE_KINDS, releaseExitCode, setImage } from '../../release/index.js';
import type { ForgeKind, PreviewRequest, PullRequestRequest, SetImageRequest, SetImageResult } from '../../release/index.js';
import { EXIT, ExitCode } from '../exit.js';
import { registerReleaseWatch } from './release-watch.js';

interface SetImageFlags {
  readonly repo: string;
  readonly remote?: string;
  readonly branch?: string;
  readonly app: string;
  readonly cluster?: string;
  readonly file?: string;
  readonly key: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly allowTags?: string;
  readonly ciUrl?: string;
  readonly author?: { readonly name: string; readonly email: string };
  readonly requestedAt?: Date;
  readonly overwrite: boolean;
  readonly maxAttempts: number;
  readonly pullRequest?: boolean;
  readonly prBranch?: string;
  readonly forge?: ForgeKind;
  readonly apiUrl?: string;
  readonly project?: string;
  readonly dryRun?: boolean;
  readonly previewConfig?: string;
  readonly previewRoot: string[];
  readonly offline?: boolean;
  readonly output: 'text' | 'json';
}

export const JSON_SCHEMA = 'launchpad.release/v1';

function positive(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return number;
}

function author(value: string): { readonly name: string; readonly email: string } {
  const match = /^(.+?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(value.trim());
  if (match?.[1] === undefined || match[2] === undefined) throw new InvalidArgumentError('write it as "Name <email>"');
  return { name: match[1], email: match[2] };
}

function timestamp(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('must be a date and time, e.g. 2025-01-31T12:00:00Z (git log -1 --format=%cI)');
  return date;
}

function previewOf(flags: SetImageFlags): PreviewRequest | undefined {
  if (flags.previewConfig === undefined) return undefined;
  return { configFile: flags.previewConfig, offline: flags.offline === true, ...(flags.previewRoot.length === 0 ? {} : { roots: flags.previewRoot }) };
}

function pullRequestOf(flags: SetImageFlags): PullRequestRequest | undefined {
  if (flags.pullRequest !== true) return undefined;
  return {
    ...(flags.prBranch === undefined ? {} : { branch: flags.prBranch }),
    ...(flags.forge === undefined ? {} : { forge: flags.forge }),
    ...(flags.apiUrl === undefined ? {} : { apiURL: flags.apiUrl }),
    ...(flags.project === undefined ? {} : { project: flags.project }),
  };
}

/** Flags → request; optional flags are left out rather than set to undefined (exactOptionalPropertyTypes). */
export function requestOf(flags: SetImageFlags, onEvent: (message: string) => void): SetImageRequest {
  const preview = previewOf(flags);
  const pullRequest = pullRequestOf(flags);
  const optional = {
    remote: flags.remote, branch: flags.branch, cluster: flags.cluster, file: flags.file, tag: flags.tag, digest: flags.digest,
    allowTags: flags.allowTags, ciURL: flags.ciUrl, author: flags.author, requestedAt: flags.requestedAt, preview, pullRequest,
  };
  const given = Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined));
  return { ...given, repo: flags.repo, app: flags.app, key: flags.key, noOverwrite: !flags.overwrite, maxAttempts: flags.maxAttempts, dryRun: flags.dryRun === true, onEvent };
}

function printText(result: SetImageResult): void {
  const parts = [result.message];
  if (result.outcome === 'dry-run' && result.fileDiff !== undefined) parts.push('', result.fileDiff.trimEnd());
  if (result.outcome === 'dry-run' && result.preview !== undefined) parts.push('', result.preview.trimEnd());
  process.stdout.write(`${parts.join('\n')}\n`);
}

async function runSetImage(flags: SetImageFlags): Promise<number> {
  try {
    const result = await setImage(requestOf(flags, (message) => process.stderr.write(`release: ${message}\n`)));
    if (flags.output === 'json') process.stdout.write(`${JSON.stringify({ schema: JSON_SCHEMA, ...result }, null, 2)}\n`);
    else printText(result);
    return releaseExitCode(result.outcome);
  } catch (error) {
    const message = describeError(error);
    process.stderr.write(`launchpad release set-image: ${message}\n`);
    if (flags.output === 'json') process.stdout.write(`${JSON.stringify({ schema: JSON_SCHEMA, outcome: 'error', app: flags.app, error: message }, null, 2)}\n`);
    return EXIT.usage;
  }
}

function registerSetImage(release: Command): void {
  release.command('set-image')
    .description('set one application\'s image tag in the values repository: edit that value only, commit, push race-free (or open a pull request)')
    .requiredOption('--repo <clone|url>', 'the values repository: a local clone (its remote is pushed to) or a URL')
    .requiredOption('--app <name>', 'the application (its folder in the values repository)')
    .option('--tag <tag>', 'the image tag to deploy (never latest)')
    .option('--digest <sha256:…>', 'pin the digest too (written as <tag>@<digest>)')
    .option('--cluster <name>', 'edit the cluster\'s values file ({app}/values-{cluster}.yaml) instead of the shared one')
    .option('--file <path>', 'values file layout inside the repository, {app} and {cluster} filled in (default: {app}/values.yaml)')
    .option('--key <path>', 'the value to set, dotted (forteapp reads app.image.tag)', DEFAULT_KEY)
    .option('--allow-tags <regex>', 'refuse tags this regular expression does not match as a whole')
    .option('--branch <name>', 'branch to change (default: the remote\'s default branch)')
    .option('--remote <name>', 'remote of the local clone', 'origin')
    .option('--ci-url <url>', 'the CI run, named in the commit message and the pull request')
    .option('--author <"Name <email>">', 'commit author and committer (default: git config)', author)
    .option('--requested-at <time>', 'when this release was requested: the newer request wins a same-app race (default: now)', timestamp)
    .option('--no-overwrite', 'fail instead of replacing a bump of the same app that landed while this one was pushing')
    .option('--max-attempts <n>', 'push attempts before giving up', positive, DEFAULT_MAX_ATTEMPTS)
    .option('--pull-request', 'push a branch and open (or update) a pull request instead of pushing to --branch')
    .option('--pr-branch <name>', 'the pull request\'s branch (default: launchpad/release/<app>[-<cluster>])')
    .addOption(new Option('--forge <kind>', 'the pull-request API (default: from the remote host)').choices([...FORGE_KINDS]))
    .option('--api-url <url>', 'the forge API root (default: from the remote host)')
    .option('--project <owner/name>', 'the repository on the forge (default: from the remote URL)')
    .option('--dry-run', 'print the file diff (and the preview) without writing anything')
    .option('--preview-config <launchpad.yaml>', 'render what the change deploys with launchpad diff (the file maps the values repository to a clone)')
    .option('--preview-root <file>', 'cluster root for the preview (repeatable; default: found beside --preview-config)', (value: string, previous: string[]) => [...previous, value], [])
    .option('--offline', 'preview without network (charts not mapped locally are skipped)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags: SetImageFlags) => {
      const code = await runSetImage(flags);
      if (code !== EXIT.ok) throw new ExitCode(code);
    });
}

export function registerRelease(program: Command): void {
  const release = program.command('release').description('change image tags in the values repository: by CI (set-image) or from a registry (watch)');
  registerSetImage(release);
  registerReleaseWatch(release);
}
