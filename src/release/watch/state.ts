/**
 * What a watch has already done, so that each new tag is released at most once per app — even when someone
 * reverts the bump by hand, or the pull request is closed unmerged: the watch does not open it again. A small JSON
 * file written atomically (temporary file + rename); losing it only means the next poll re-checks, and set-image's
 * own "already set" answer keeps that harmless.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { cacheSlug } from '../../source/url.js';

/** `app/cluster file:key` → tags handled. */
type Handled = Record<string, string[]>;

export interface WatchState {
  handled(id: string, tag: string): boolean;
  record(id: string, tag: string): Promise<void>;
}

/** `$XDG_STATE_HOME/launchpad/release-watch/<slug of the watch file>.json` */
export function defaultStateFile(watchFile: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base = env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state');
  return join(base, 'launchpad', 'release-watch', `${cacheSlug(watchFile)}.json`);
}

export async function openWatchState(file: string): Promise<WatchState> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  let handled: Handled = {};
  if (text !== undefined) {
    try {
      handled = (JSON.parse(text) as { handled?: Handled }).handled ?? {};
    } catch {
      handled = {}; // a damaged state file only costs a re-check
    }
  }
  return {
    handled: (id, tag) => handled[id]?.includes(tag) === true,
    async record(id, tag) {
      handled = { ...handled, [id]: [...(handled[id] ?? []).filter((entry) => entry !== tag), tag].slice(-100) };
      await mkdir(dirname(file), { recursive: true });
      const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temporary, `${JSON.stringify({ handled }, null, 2)}\n`);
      await rename(temporary, file);
    },
  };
}
