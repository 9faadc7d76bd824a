/**
 * One log line per mutating request — who (and how they logged in), what, which application or object, and the
 * result — at info level with `audit: true`, so a log pipeline can keep them apart. Never a password, token or
 * Secret value: only names.
 */
import type { Logger } from '../controller/services.js';
import type { Identity } from './access.js';

export interface AuditEntry {
  readonly who: Identity | undefined;
  /** `sync`, `rollback`, `delete`, `login`, `token.create`… */
  readonly action: string;
  /** The application (`project/name`) or other object acted on. */
  readonly object: string;
  /** `ok`, `denied`, `failed: <why>`. */
  readonly result: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export class AuditLog {
  private log: Logger | undefined;
  private readonly pending: AuditEntry[] = [];

  /** Lines written before the logger is known (login before start) are kept and written then. */
  attach(log: Logger): void {
    this.log = log;
    for (const entry of this.pending.splice(0)) this.write(entry);
  }

  record(entry: AuditEntry): void {
    if (this.log === undefined) {
      this.pending.push(entry);
      return;
    }
    this.write(entry);
  }

  private write(entry: AuditEntry): void {
    const who = entry.who === undefined ? 'anonymous' : entry.who.name;
    this.log?.info({ audit: true, user: who, sub: entry.who?.sub ?? '', via: entry.who?.via ?? '', action: entry.action, object: entry.object, result: entry.result, ...(entry.detail ?? {}) }, `audit: ${who} ${entry.action} ${entry.object}: ${entry.result}`);
  }
}
