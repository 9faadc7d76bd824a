/**
 * Shared by the preview integration tests: a copy of the example platform as real git repositories, and the CLI
 * run as a process with real helm and kustomize and a private cache.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from '../../../src/process/binaries.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';

export const repoRoot = new URL('../../../../', import.meta.url).pathname;
const bin = join(repoRoot, 'bin/launchpad.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `launchpad …` in `cwd` with the given cache home (so tests never share or pollute ~/.cache). */
export function launchpad(options: { readonly cwd: string; readonly cacheHome: string }, ...args: string[]): CliResult {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
    env: { ...process.env, XDG_CACHE_HOME: options.cacheHome, LAUNCHPAD_HELM: findBinary('helm'), LAUNCHPAD_KUSTOMIZE: findBinary('kustomize') },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A temporary folder removed by `remove()`. */
export async function tempDir(prefix: string): Promise<{ readonly dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** examples/platform copied into `dir` (the chart link resolved into a real folder). */
export async function copyPlatform(dir: string): Promise<void> {
  await cp(join(repoRoot, 'examples/platform'), dir, { recursive: true, dereference: true });
}

/** The whole platform folder as one git repository with everything committed. */
export async function platformAsOneRepo(dir: string): Promise<GitFixture> {
  await copyPlatform(dir);
  return createGitRepo({ dir, files: {}, message: 'platform' });
}

/** The three repositories of the platform as separate git repositories (launchpad.yaml stays outside them). */
export async function platformAsThreeRepos(dir: string): Promise<Record<'config' | 'charts' | 'values', GitFixture>> {
  await copyPlatform(dir);
  const [config, charts, values] = await Promise.all(['launchpad', 'forte-helm', 'helm-prod-values'].map((name) => createGitRepo({ dir: join(dir, name), files: {}, message: name })));
  if (config === undefined || charts === undefined || values === undefined) throw new Error('unreachable');
  return { config, charts, values };
}

/** Replaces text in a file of a repository (the test fails loudly when the text is not there). */
export async function edit(repo: GitFixture, file: string, from: string, to: string): Promise<void> {
  const path = join(repo.dir, file);
  const text = await readFile(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  await writeFile(path, text.replace(from, to));
}

export interface JsonResource {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly change: string;
  readonly diff: string;
  readonly secretKeys?: { readonly added: string[]; readonly removed: string[]; readonly changed: string[] };
}

export interface JsonApp {
  readonly name: string;
  readonly change: string;
  readonly errors: readonly { readonly side: string; readonly message: string }[];
  readonly fields: readonly { readonly field: string; readonly base: string; readonly head: string }[];
  readonly resources: readonly JsonResource[];
}

export interface JsonCluster {
  readonly name: string;
  readonly root: string;
  readonly status: string;
  readonly errors: readonly { readonly side: string; readonly message: string }[];
  readonly summary: Readonly<Record<string, number>>;
  readonly applications: readonly JsonApp[];
}

export interface JsonReport {
  readonly schema: string;
  readonly changed: boolean;
  readonly failed: boolean;
  readonly repositories: readonly { readonly url: string; readonly base: { readonly kind: string; readonly sha?: string }; readonly head: { readonly kind: string; readonly sha?: string } }[];
  readonly clusters: readonly JsonCluster[];
}

export function parseReport(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

/** The `+`/`-` lines of a unified diff, without its `---`/`+++` headers. */
export function changedLines(diff: string): string[] {
  return diff.split('\n').filter((line) => /^[+-]/.test(line) && !/^(---|\+\+\+) /.test(line));
}
