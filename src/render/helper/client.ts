/**
 * The render helper process seen from TypeScript: spawned once, fed framed requests, answering out of order by id.
 * When it dies, the requests in flight are sent again to a fresh process once; a request that was in flight at two
 * deaths fails with a RenderHelperError, so one chart that crashes the helper fails only its own application.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { ToolError } from '../../errors.js';
import { FrameReader, encodeFrame } from './frames.js';

export interface HelperResponse {
  readonly id: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the helper does not handle these arguments exactly as the CLI would: run the binary instead. */
  readonly unsupported?: string;
}

/** The helper could not be started or died while rendering; the message says which and what to do. */
export class RenderHelperError extends ToolError {}

/** The helper binary could not be started at all (missing, not executable): the caller falls back to helm. */
export class RenderHelperStartError extends RenderHelperError {}

interface Pending {
  readonly request: { id: number; tool: string; args: readonly string[] };
  attempts: number;
  timer: NodeJS.Timeout | undefined;
  resolve(response: HelperResponse): void;
  reject(error: Error): void;
}

export interface RenderHelperClientOptions {
  /** Renders the helper runs at once. @default its own choice: one per core */
  readonly workers?: number;
}

const STDERR_TAIL = 4000;

export class RenderHelperClient {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderrTail = '';
  private closed = false;
  /** Responses received: a helper that dies before its first answer, twice, is one that cannot start here. */
  private answered = 0;
  /** How many times a helper process was started: 1 in a healthy run. */
  starts = 0;

  constructor(
    readonly binary: string,
    private readonly options: RenderHelperClientOptions = {},
  ) {}

  /** The helper's pid, for tests that need to see a restart. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  request(tool: string, args: readonly string[], timeoutMs: number): Promise<HelperResponse> {
    if (this.closed) return Promise.reject(new RenderHelperError('the render helper was closed'));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const entry: Pending = { request: { id, tool, args }, attempts: 0, timer: undefined, resolve, reject };
      entry.timer = setTimeout(() => {
        this.settle(id);
        reject(new ToolError(`${tool} ${args[0] ?? ''} timed out after ${timeoutMs} ms`, { errorClass: 'retryable' }));
      }, timeoutMs);
      this.pending.set(id, entry);
      this.send(entry);
    });
  }

  /** Ends the helper: it finishes nothing further and exits when its stdin closes. */
  close(): void {
    this.closed = true;
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new RenderHelperError('the render helper was closed'));
    const child = this.child;
    this.child = undefined;
    if (child !== undefined) {
      child.stdin.end();
      child.kill('SIGTERM');
    }
  }

  private send(entry: Pending): void {
    entry.attempts += 1;
    let child: ChildProcessWithoutNullStreams;
    try {
      child = this.ensureStarted();
    } catch (error) {
      this.settle(entry.request.id)?.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.holdOpen(true);
    child.stdin.write(encodeFrame(entry.request));
  }

  private ensureStarted(): ChildProcessWithoutNullStreams {
    if (this.child !== undefined) return this.child;
    const args = this.options.workers === undefined ? [] : [`-workers=${this.options.workers}`];
    const child = spawn(this.binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.starts += 1;
    this.child = child;
    const reader = new FrameReader();
    child.stdout.on('data', (chunk: Buffer) => {
      for (const message of reader.push(chunk)) this.deliver(message as HelperResponse);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    child.stdin.on('error', () => undefined); // a dead helper is handled on 'close'
    child.on('error', (error: NodeJS.ErrnoException) => {
      this.onStartFailure(child, error);
    });
    child.on('close', (code, signal) => {
      this.onDeath(child, `the render helper exited (${signal ?? `exit ${String(code)}`})`);
    });
    return child;
  }

  private deliver(response: HelperResponse): void {
    this.answered += 1;
    this.settle(response.id)?.resolve(response);
  }

  /** Removes a request from the table (stopping its timer) and returns it, or undefined when already settled. */
  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (entry === undefined) return undefined;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (this.pending.size === 0) this.holdOpen(false);
    return entry;
  }

  /** Spawning failed: nothing was rendered, and trying again would fail the same way. */
  private onStartFailure(child: ChildProcessWithoutNullStreams, error: Error): void {
    if (this.child !== child) return;
    this.child = undefined;
    for (const id of [...this.pending.keys()]) {
      this.settle(id)?.reject(new RenderHelperStartError(`could not start the render helper ${this.binary}: ${error.message}`, { cause: error }));
    }
  }

  private onDeath(child: ChildProcessWithoutNullStreams, reason: string): void {
    if (this.child !== child) return; // an old process, already replaced
    this.child = undefined;
    const detail = this.stderrTail.trim();
    this.stderrTail = '';
    for (const entry of [...this.pending.values()]) {
      if (entry.attempts < 2 && !this.closed) {
        this.send(entry);
      } else if (this.answered === 0) {
        this.settle(entry.request.id)?.reject(new RenderHelperStartError(`the render helper ${this.binary} exits before answering${detail === '' ? '' : `: ${detail}`}`));
      } else {
        this.settle(entry.request.id)?.reject(new RenderHelperError(`${reason} while rendering${detail === '' ? '' : `: ${detail}`}`, {
          fix: 'render with --renderer=process to use the helm binary, and report the chart that makes the helper fail',
        }));
      }
    }
  }

  /** Keeps Node running while requests are in flight; an idle helper never holds a finished command open. */
  private holdOpen(hold: boolean): void {
    const child = this.child;
    if (child === undefined) return;
    for (const handle of [child, child.stdin, child.stdout, child.stderr] as { ref(): void; unref(): void }[]) {
      if (hold) handle.ref();
      else handle.unref();
    }
  }
}
