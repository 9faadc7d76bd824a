/**
 * What a release deploys, as `launchpad diff` shows it: every cluster root rendered with the values repository at
 * the branch's tip and at the release's commit, compared (src/preview, in process). launchpad.yaml must map the
 * values repository to a local clone; when that clone is not the repository the release wrote its commit in (a URL
 * release works in a scratch repository), the two commits are fetched into it under private refs that are deleted
 * again, so the user's branches and working tree are never touched.
 */
import { dirname, resolve } from 'node:path';
import { InputError, SourceError } from '../errors.js';
import { formatMarkdown, runPreview } from '../preview/index.js';
import type { PreviewReport } from '../preview/index.js';
import { gitToplevel, realFolder, remoteURLs } from '../preview/git.js';
import { equivalentURLs } from '../preview/remote-urls.js';
import { loadConfig } from '../source/config.js';
import type { RepositoryMapping } from '../source/config.js';
import { gitFailureText, runGit } from '../source/git-run.js';
import { normaliseRepoURL } from '../source/url.js';
import type { PreviewRequest } from './types.js';
import type { ValuesRepo } from './values-repo.js';

export interface ReleasePreview {
  readonly markdown: string;
  readonly report: PreviewReport;
}

async function repoURLs(repo: ValuesRepo): Promise<Set<string>> {
  const urls = [repo.url, ...(repo.local ? await remoteURLs(repo.gitDir) : [])];
  return new Set(urls.flatMap(equivalentURLs).map(normaliseRepoURL));
}

async function findValuesMapping(repo: ValuesRepo, mappings: readonly RepositoryMapping[], configFile: string): Promise<RepositoryMapping & { readonly path: string }> {
  const urls = await repoURLs(repo);
  const ownFolder = repo.local ? await realFolder(repo.gitDir) : undefined;
  for (const mapping of mappings) {
    if (mapping.path === undefined) continue;
    if (urls.has(mapping.normalisedURL)) return { ...mapping, path: mapping.path };
    if (ownFolder !== undefined && (await realFolder(mapping.path)) === ownFolder) return { ...mapping, path: mapping.path };
  }
  throw new InputError({ file: configFile }, `maps no local folder for the values repository ${repo.display}`, {
    fix: 'add it under repositories: with its URL as the Applications write it and path: <its local clone>',
  });
}

/** Makes `commits` resolvable in `toplevel` under private refs; returns a function deleting them. */
async function bringCommits(repo: ValuesRepo, toplevel: string, commits: readonly string[]): Promise<() => Promise<void>> {
  const refs = await Promise.all(commits.map((commit) => repo.hold(commit)));
  const result = await runGit(['-C', toplevel, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', repo.gitDir, ...refs.map((ref) => `+${ref}:${ref}`)]);
  if (result.exitCode !== 0) throw new SourceError(`could not bring the release's commit into ${toplevel} for the preview: ${gitFailureText(result)}`);
  return async () => {
    await runGit(['-C', toplevel, 'update-ref', '--stdin'], { input: refs.map((ref) => `delete ${ref}\n`).join('') });
  };
}

/** Renders every cluster with the values repository at `base` and at `head` and formats the diff as markdown. */
export async function previewRelease(repo: ValuesRepo, request: PreviewRequest, commits: { readonly base: string; readonly head: string }): Promise<ReleasePreview> {
  const configFile = resolve(request.configFile);
  const config = await loadConfig(configFile);
  const mapping = await findValuesMapping(repo, config.repositories, configFile);
  const toplevel = await gitToplevel(mapping.path);
  if (toplevel === undefined) throw new InputError({ file: configFile }, `${mapping.path} (mapped from ${mapping.url}) is not a git clone`, { fix: 'map the values repository to a git clone of it' });
  const same = repo.local && toplevel === (await realFolder(repo.gitDir));
  const cleanup = same ? undefined : await bringCommits(repo, toplevel, [commits.base, commits.head]);
  try {
    const report = await runPreview({
      configFile,
      cwd: dirname(configFile),
      ...(request.roots === undefined ? {} : { roots: request.roots.map((root) => resolve(root)) }),
      revisions: [{ repo: mapping.url, base: commits.base, head: commits.head }],
      offline: request.offline === true,
      ...(request.cacheDir === undefined ? {} : { cacheDir: request.cacheDir }),
    });
    return { report, markdown: formatMarkdown(report, request.maxChars === undefined ? {} : { maxChars: request.maxChars }) };
  } finally {
    await cleanup?.();
  }
}
