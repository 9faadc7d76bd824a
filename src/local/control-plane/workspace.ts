/**
 * The temp folder of one control plane, and the clean-up of folders whose owner died without cleaning up (a test
 * runner killed with SIGKILL cannot run exit handlers). Each folder records its owner's PID and its daemons'
 * process groups; a later start ends those daemons, after checking that they still run from that folder, and
 * removes the folder.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from './daemon.js';

const PREFIX = 'launchpad-control-plane-';
const OWNER_FILE = 'owner.json';
const KEPT_FILE = 'KEPT';
const KEPT_FOR_MS = 24 * 60 * 60 * 1000;

interface OwnerRecord {
  readonly ownerPid: number;
  readonly daemonPids: number[];
}

function readOwner(root: string): OwnerRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(root, OWNER_FILE), 'utf8')) as OwnerRecord;
  } catch {
    return undefined;
  }
}

/** Makes a fresh, private folder for one control plane and records this process as its owner. */
export function createWorkspace(parent: string = tmpdir()): string {
  const root = mkdtempSync(join(parent, PREFIX));
  const record: OwnerRecord = { ownerPid: process.pid, daemonPids: [] };
  writeFileSync(join(root, OWNER_FILE), JSON.stringify(record));
  return root;
}

/** Remembers a daemon's process group so a later sweep can end it if we die. */
export function recordDaemon(root: string, pid: number): void {
  const record = readOwner(root) ?? { ownerPid: process.pid, daemonPids: [] };
  writeFileSync(join(root, OWNER_FILE), JSON.stringify({ ...record, daemonPids: [...record.daemonPids, pid] }));
}

/** Deletes everything but the logs and marks the folder as kept for a day, for someone to read the logs. */
export function keepLogs(root: string): void {
  for (const entry of readdirSync(root)) {
    if (entry !== 'logs' && entry !== OWNER_FILE) rmSync(join(root, entry), { recursive: true, force: true });
  }
  mkdirSync(join(root, 'logs'), { recursive: true });
  writeFileSync(join(root, KEPT_FILE), 'logs of a failed control plane; removed by the next start after a day\n');
}

export function removeWorkspace(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

function runsFrom(pid: number, root: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(root);
  } catch {
    return false;
  }
}

function isStale(root: string, record: OwnerRecord | undefined): boolean {
  try {
    if (statSync(join(root, KEPT_FILE), { throwIfNoEntry: false }) !== undefined) {
      return Date.now() - statSync(join(root, KEPT_FILE)).mtimeMs > KEPT_FOR_MS;
    }
  } catch {
    return false;
  }
  return record !== undefined && record.ownerPid !== process.pid && !isAlive(record.ownerPid);
}

/** Ends the daemons and removes the folders of control planes whose owning process is gone. Returns how many. */
export function sweepStaleWorkspaces(parent: string = tmpdir()): number {
  let swept = 0;
  let entries: string[];
  try {
    entries = readdirSync(parent).filter((entry) => entry.startsWith(PREFIX));
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const root = join(parent, entry);
    const record = readOwner(root);
    if (!isStale(root, record)) continue;
    for (const pid of record?.daemonPids ?? []) {
      if (runsFrom(pid, root)) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    removeWorkspace(root);
    swept++;
  }
  return swept;
}
