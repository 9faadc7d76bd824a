/**
 * Shared by the release tests: a values repository as a bare "remote" on disk (the example platform's
 * helm-prod-values, or generated apps in the same layout), clones of it, and reading the remote back.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from '../../../src/process/binaries.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';

export const repoRoot = new URL('../../../../', import.meta.url).pathname;
export const EXAMPLE_VALUES = join(repoRoot, 'examples/platform/helm-prod-values');
const FIXED = ['-c', 'user.name=Launchpad Test', '-c', 'user.email=test@launchpad.invalid', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null'];
export const AUTHOR = { name: 'Release Bot', email: 'bot@launchpad.invalid' };

export function git(cwd: string, ...args: string[]): string {
  const result = spawnSync(findBinary('git'), [...FIXED, ...args], { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

export interface ValuesRemote {
  readonly dir: string;
  /** The bare repository (what pipelines push to). */
  readonly remote: string;
  /** A fresh clone of the remote, as CI checks it out. */
  clone(name: string): Promise<string>;
  /** A file on the remote's main branch. */
  show(path: string, ref?: string): string;
  remove(): Promise<void>;
}

/** A bare remote whose main holds `files` (or the example's helm-prod-values when none are given). */
export async function valuesRemote(files?: Readonly<Record<string, string>>): Promise<ValuesRemote> {
  const dir = await mkdtemp(join(tmpdir(), 'launchpad-release-'));
  const source = join(dir, 'source');
  if (files === undefined) {
    await cp(EXAMPLE_VALUES, source, { recursive: true });
    await createGitRepo({ dir: source, files: {}, message: 'values' });
  } else {
    await createGitRepo({ dir: source, files, message: 'values' });
  }
  const remote = join(dir, 'remote.git');
  git(dir, 'clone', '--quiet', '--bare', source, remote);
  return {
    dir,
    remote,
    clone: async (name) => {
      const target = join(dir, name);
      git(dir, 'clone', '--quiet', remote, target);
      await writeFile(join(target, '.git', 'info', 'exclude'), '');
      return target;
    },
    show: (path, ref = 'main') => git(remote, 'show', `${ref}:${path}`),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** `count` apps in the example's layout, each a copy of mcp10x's values with its own tag line. */
export async function generatedApps(count: number): Promise<Record<string, string>> {
  const template = await readFile(join(EXAMPLE_VALUES, 'mcp10x/values.yaml'), 'utf8');
  const files: Record<string, string> = {};
  for (let index = 1; index <= count; index++) files[`app-${String(index).padStart(2, '0')}/values.yaml`] = template.replace('ghcr.io/fortedigital/10x', `ghcr.io/example/app-${index}`);
  return files;
}

/** The commits of main, newest first, with their parent counts. */
export function history(remote: string): { readonly subjects: string[]; readonly merges: number } {
  const subjects = git(remote, 'log', '--format=%s', 'main').split('\n');
  const merges = git(remote, 'rev-list', '--merges', '--count', 'main');
  return { subjects, merges: Number(merges) };
}

/** The remote file read as a file at a version of the example (for byte comparisons). */
export async function exampleFile(path: string): Promise<string> {
  return readFile(join(EXAMPLE_VALUES, path), 'utf8');
}
