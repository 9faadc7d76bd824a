/**
 * Every application the user may see, kept current by the server's event stream (GET /api/v1/stream/applications):
 * the list is read once, then each ADDED/MODIFIED/DELETED event is applied — no reload, no polling. Events that
 * arrive while the list is being read are held and applied after it, so none is lost; after the stream reconnects
 * the list is read again, since events may have been missed meanwhile. Views subscribe to be told of changes.
 */
import type { AppSummary } from '../../src/api/views/summary.js';
import { api } from './api.js';
import { LIST_URL, takeEarlyList } from './early.js';

export type { AppSummary };

interface ListResponse {
  readonly items: readonly AppSummary[];
}

interface StreamEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly application: AppSummary;
}

export type LiveState = { readonly kind: 'loading' } | { readonly kind: 'error'; readonly message: string } | { readonly kind: 'ready' };

type Listener = (changed: readonly string[]) => void;

export class LiveApplications {
  readonly apps = new Map<string, AppSummary>();
  state: LiveState = { kind: 'loading' };
  /** Bumped on every change: views memoise on it. */
  version = 0;
  private readonly listeners = new Set<Listener>();
  private source: EventSource | undefined;
  private pending: StreamEvent[] | undefined;
  private streamFailed = false;

  start(): void {
    if (this.source !== undefined) return;
    this.source = new EventSource('/api/v1/stream/applications');
    this.source.addEventListener('application', (message) => { this.receive(JSON.parse((message as MessageEvent<string>).data) as StreamEvent); });
    this.source.addEventListener('open', () => {
      if (this.streamFailed) void this.reload();
      this.streamFailed = false;
    });
    this.source.addEventListener('error', () => { this.streamFailed = true; });
    void this.reload();
  }

  stop(): void {
    this.source?.close();
    this.source = undefined;
    this.apps.clear();
    this.state = { kind: 'loading' };
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Reads the whole list again (first load, after a reconnect, or "retry" after an error). */
  async reload(): Promise<void> {
    this.pending ??= [];
    try {
      // The first read uses the list requested while the page loaded (if the server gave it); the rest ask again.
      const list = (await takeEarlyList() as ListResponse | undefined) ?? await api.get<ListResponse>(LIST_URL);
      this.apps.clear();
      for (const app of list.items) this.apps.set(app.name, app);
      this.state = { kind: 'ready' };
      const held = this.pending;
      this.pending = undefined;
      for (const event of held) this.apply(event);
      this.changed(list.items.map((app) => app.name));
    } catch (error) {
      this.pending = undefined;
      this.state = { kind: 'error', message: error instanceof Error ? error.message : String(error) };
      this.changed([]);
    }
  }

  private receive(event: StreamEvent): void {
    if (this.pending !== undefined) {
      this.pending.push(event);
      return;
    }
    this.apply(event);
    this.changed([event.application.name]);
  }

  private apply(event: StreamEvent): void {
    if (event.type === 'DELETED') this.apps.delete(event.application.name);
    else this.apps.set(event.application.name, event.application);
  }

  private changed(names: readonly string[]): void {
    this.version += 1;
    for (const listener of this.listeners) listener(names);
  }
}

export const live = new LiveApplications();
