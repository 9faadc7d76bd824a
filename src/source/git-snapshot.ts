/**
 * Immutable per-commit snapshots: `<cache>/git/<slug>/snapshots/<sha>/` holds the files of one commit, written by
 * `read-tree` + `checkout-index` from the mirror into a temporary directory that is then renamed into place. No
 * `.git` inside, no tar in between (so symlinks, modes and binary files come out exactly as committed), and
 * export-ignore attributes do not drop files the way `git archive` would.
 */
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SourceError } from '../errors.js';
import { OncePerKey, createOnce } from './cache-dir.js';
import { gitFailureText, runGit } from './git-run.js';

export class GitSnapshots {
  private readonly inFlight = new OncePerKey<string>();

  /** The snapshot directory of `sha` next to the mirror `gitDir`, created on first use. */
  materialise(gitDir: string, sha: string, repoLabel: string): Promise<string> {
    const dir = join(dirname(gitDir), 'snapshots', sha);
    return this.inFlight.run(dir, async () => {
      await createOnce(dir, (temp) => checkoutInto({ gitDir, sha, target: temp, repoLabel }));
      return dir;
    });
  }
}

interface CheckoutRequest {
  readonly gitDir: string;
  readonly sha: string;
  readonly target: string;
  readonly repoLabel: string;
}

async function checkoutInto(request: CheckoutRequest): Promise<void> {
  const indexFile = `${request.target}.index`;
  // autocrlf off: the renderer must see the bytes that were committed, as Argo CD's Linux checkout does.
  const base = ['-c', 'core.autocrlf=false', '--git-dir', request.gitDir, '--work-tree', request.target];
  const env = { GIT_INDEX_FILE: indexFile };
  try {
    for (const step of [['read-tree', request.sha], ['checkout-index', '--all', '--force']]) {
      const result = await runGit([...base, ...step], { env });
      if (result.exitCode !== 0) {
        throw new SourceError(`could not write commit ${request.sha} of ${request.repoLabel} to the cache: ${gitFailureText(result)}`, {
          fix: `check free disk space and permissions under ${dirname(request.target)}`,
        });
      }
    }
  } finally {
    await rm(indexFile, { force: true });
  }
}
