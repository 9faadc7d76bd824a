/**
 * Real git repositories for tests, built in a temporary directory: files from a `{path: content}` map, commits,
 * branches and tags. Identity and signing are fixed on the command line so a developer's git config (gpg signing,
 * hooks, default branch) cannot change what a test sees.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findBinary } from '../process/binaries.js';
import { runProcess } from '../process/run.js';

/** Files to write; `null` deletes the file. Paths are relative, with `/` separators. */
export type FileMap = Readonly<Record<string, string | null>>;

export interface GitFixtureOptions {
  /** Files of the first commit; without any, the repository starts empty. */
  readonly files?: FileMap;
  /** @default 'main' */
  readonly branch?: string;
  /** Directory to create the repository in; @default a new directory under the OS temp dir */
  readonly dir?: string;
  /** @default 'initial' */
  readonly message?: string;
}

export interface GitFixture {
  /** The working tree (absolute path). */
  readonly dir: string;
  /** `file://` URL of the repository. */
  readonly url: string;
  /** Writes (or deletes) files, commits them all, returns the new commit's SHA. */
  commit(files: FileMap, message?: string): Promise<string>;
  /** Writes files without committing (an uncommitted edit). */
  write(files: FileMap): Promise<void>;
  /** Creates a branch at `at` (default HEAD) without switching to it. */
  branch(name: string, at?: string): Promise<void>;
  /** Creates a tag at `at` (default HEAD); annotated when a message is given. */
  tag(name: string, options?: { readonly at?: string; readonly message?: string }): Promise<void>;
  /** Switches the working tree to a branch. */
  checkout(ref: string): Promise<void>;
  /** The SHA a revision names (default HEAD). */
  revParse(revision?: string): Promise<string>;
  /** Runs any git command in the repository; returns stdout. */
  git(...args: string[]): Promise<string>;
  /** Deletes the repository. */
  remove(): Promise<void>;
}

const FIXED_CONFIG = [
  '-c', 'user.name=Launchpad Test', '-c', 'user.email=test@launchpad.invalid', '-c', 'commit.gpgsign=false',
  '-c', 'tag.gpgsign=false', '-c', 'core.hooksPath=/dev/null', '-c', 'core.autocrlf=false',
];

/** Creates a git repository with an optional first commit. */
export async function createGitRepo(options: GitFixtureOptions = {}): Promise<GitFixture> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'launchpad-git-')));
  await mkdir(dir, { recursive: true });
  const git = async (...args: string[]): Promise<string> => {
    const result = await runProcess(findBinary('git'), [...FIXED_CONFIG, ...args], { cwd: dir, env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
    return result.stdout.trim();
  };
  const write = async (files: FileMap): Promise<void> => {
    for (const [path, content] of Object.entries(files)) {
      const target = join(dir, path);
      if (content === null) {
        await rm(target, { force: true });
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  };
  const commit = async (files: FileMap, message = 'change'): Promise<string> => {
    await write(files);
    await git('add', '--all');
    await git('commit', '--quiet', '--allow-empty', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  await git('init', '--quiet', `--initial-branch=${options.branch ?? 'main'}`);
  if (options.files !== undefined) await commit(options.files, options.message ?? 'initial');
  return {
    dir,
    url: pathToFileURL(dir).href,
    commit,
    write,
    branch: async (name, at = 'HEAD') => {
      await git('branch', name, at);
    },
    tag: async (name, tagOptions = {}) => {
      const message = tagOptions.message === undefined ? [] : ['-a', '-m', tagOptions.message];
      await git('tag', ...message, name, tagOptions.at ?? 'HEAD');
    },
    checkout: async (ref) => {
      await git('checkout', '--quiet', ref);
    },
    revParse: (revision = 'HEAD') => git('rev-parse', `${revision}^{commit}`),
    git,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
