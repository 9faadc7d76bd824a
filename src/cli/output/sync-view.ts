/**
 * How `launchpad sync` reports progress. On a terminal: a live view — a header per application and wave, then one
 * status line redrawn in place with the wave's counts and what it is waiting for. Elsewhere (CI logs): one line per
 * event, nothing redrawn.
 */
import { formatResourceKey } from '../../model/resource.js';
import type { RenderedApp } from '../../render/types.js';
import type { ChangeAction, ChangeEntry, ChangeSet } from '../../sync/changeset.js';
import type { TreeSyncOptions } from '../../sync/cascade.js';

type ViewHooks = Pick<TreeSyncOptions, 'onAppStart' | 'onAppDone' | 'onEntry' | 'onMessage' | 'onWaiting'>;

export interface SyncViewOptions {
  readonly tty: boolean;
  readonly write: (text: string) => void;
  readonly summarize: (changeSet: ChangeSet) => string;
}

export function createSyncView(options: SyncViewOptions): ViewHooks {
  const { write, summarize } = options;
  if (!options.tty) {
    return {
      onAppStart: (app: RenderedApp) => { write(`${app.name}: syncing (wave ${app.wave})\n`); },
      onMessage: (message: string) => { write(`  ${message}\n`); },
      onEntry: (entry: ChangeEntry) => { write(`  ${formatResourceKey(entry.key)} ${entry.action}${entry.message === '' ? '' : ` — ${entry.message}`}\n`); },
      onAppDone: (_app: RenderedApp, changeSet: ChangeSet) => { write(`${summarize(changeSet)}\n`); },
    };
  }
  let counts = new Map<ChangeAction, number>();
  let waiting = '';
  const redraw = (): void => {
    const done = [...counts].map(([action, count]) => `${count} ${action}`).join(', ');
    write(`\r\x1b[K  ${done || 'validating…'}${waiting === '' ? '' : ` — waiting for ${waiting}`}`);
  };
  return {
    onAppStart: (app) => { write(`\r\x1b[K${app.name}: syncing\n`); },
    onMessage: (message) => {
      counts = new Map();
      waiting = '';
      write(`\r\x1b[K  ${message}\n`);
    },
    onEntry: (entry) => {
      counts.set(entry.action, (counts.get(entry.action) ?? 0) + 1);
      // Failures stay on screen; everything else only updates the counts.
      if (entry.action === 'failed') write(`\r\x1b[K  ${formatResourceKey(entry.key)} failed — ${entry.message}\n`);
      redraw();
    },
    onWaiting: (pending) => {
      const [first] = pending;
      waiting = first === undefined ? '' : `${first.resource} (${first.health.message || first.health.status})${pending.length > 1 ? ` and ${pending.length - 1} more` : ''}`;
      redraw();
    },
    onAppDone: (_app, changeSet) => { write(`\r\x1b[K${summarize(changeSet)}\n`); },
  };
}
