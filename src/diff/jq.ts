/**
 * jq path expressions for ignoreDifferences, evaluated by real jq (jq-web, WebAssembly) in one worker thread.
 * Each evaluation has a deadline (Argo CD's default: 1 s); past it the worker is terminated and a fresh one serves
 * the next expression, so a pathological expression cannot hang the engine. Evaluations run one at a time.
 */
import { Worker } from 'node:worker_threads';
import type { JqReply, JqRequest } from './jq-worker.js';
import { DiffError } from './values.js';
import type { PathStep, ValuePath } from './values.js';

/** Argo CD's default deadline for one jq expression. */
export const DEFAULT_JQ_TIMEOUT_MS = 1000;

export interface JqOptions {
  /** Deadline for one evaluation, milliseconds. @default 1000 */
  readonly timeoutMs?: number;
  /** Names the object in errors, e.g. `Deployment/shop/web`. */
  readonly what?: string;
}

/** The paths an expression selects, or why it selected nothing (jq's run-time error, e.g. iterating over null). */
export type JqPathsResult = { readonly paths: ValuePath[] } | { readonly runtimeError: string };

class JqTimeout extends Error {}

class JqWorkerHost {
  private ready: Promise<Worker> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private pending = 0;

  run(filter: string, input: string, timeoutMs: number): Promise<JqReply> {
    this.pending++;
    const result = this.tail.then(() => this.execute({ id: this.nextId++, filter, input }, timeoutMs));
    this.tail = result.catch(() => undefined);
    return result.finally(() => {
      this.pending--;
      if (this.pending === 0) {
        void this.ready?.then(
          (worker) => {
            worker.unref();
          },
          () => undefined,
        );
      }
    });
  }

  async stop(): Promise<void> {
    const ready = this.ready;
    this.ready = undefined;
    if (ready !== undefined) await ready.then((worker) => worker.terminate(), () => undefined);
  }

  private start(): Promise<Worker> {
    const worker = new Worker(new URL('./jq-worker.js', import.meta.url));
    const started = new Promise<Worker>((resolve, reject) => {
      const failed = (cause: unknown): void => {
        reject(new DiffError('jq could not be started (package jq-web)', { fix: 'run "npm ci" to install the dependencies', cause }));
      };
      worker.once('message', () => {
        resolve(worker);
      });
      // Errors after the start end the worker; its 'exit' rejects the evaluation under way.
      worker.on('error', failed);
      worker.once('exit', (code) => {
        failed(new Error(`exit code ${code}`));
      });
    });
    started.catch(() => {
      this.ready = undefined;
    });
    return started;
  }

  private async execute(request: JqRequest, timeoutMs: number): Promise<JqReply> {
    this.ready ??= this.start();
    const worker = await this.ready;
    worker.ref();
    return new Promise<JqReply>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      };
      const onMessage = (reply: JqReply): void => {
        if (reply.id !== request.id) return;
        finish();
        resolve(reply);
      };
      const onExit = (code: number): void => {
        finish();
        this.ready = undefined;
        reject(new DiffError(`the jq worker exited (code ${code})`, { errorClass: 'retryable' }));
      };
      const timer = setTimeout(() => {
        finish();
        this.ready = undefined;
        void worker.terminate();
        reject(new JqTimeout());
      }, timeoutMs);
      worker.on('message', onMessage);
      worker.on('exit', onExit);
      worker.postMessage(request);
    });
  }
}

const host = new JqWorkerHost();

/** Ends the jq worker thread (a new one starts on the next use). Idle workers never keep the process alive. */
export function stopJqWorker(): Promise<void> {
  return host.stop();
}

function isPath(value: unknown): value is PathStep[] {
  return Array.isArray(value) && value.every((step) => typeof step === 'string' || typeof step === 'number');
}

function parsePaths(output: string, expression: string): ValuePath[] {
  const parsed: unknown = JSON.parse(output);
  if (!Array.isArray(parsed) || !parsed.every(isPath)) throw new DiffError(`ignoreDifferences: jqPathExpression "${expression}" gave no list of paths`);
  return parsed;
}

/**
 * The paths `expression` selects in `input`, as jq's `[path(expression)]` gives them — what Argo CD's
 * `del(expression)` deletes. A compile error or a timeout throws a DiffError naming the expression (never the
 * input's values); a run-time error (iterating over null, an invalid path expression) is returned, since Argo CD
 * skips such a rule for that object.
 */
export async function jqPaths(expression: string, input: unknown, options: JqOptions = {}): Promise<JqPathsResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_JQ_TIMEOUT_MS;
  const where = options.what === undefined ? '' : ` on ${options.what}`;
  let reply: JqReply;
  try {
    reply = await host.run(`[path(${expression})]`, JSON.stringify(input), timeoutMs);
  } catch (error) {
    if (!(error instanceof JqTimeout)) throw error;
    throw new DiffError(`ignoreDifferences: jqPathExpression "${expression}" did not finish within ${timeoutMs} ms${where}`, {
      fix: 'simplify the expression; it should only select paths, e.g. .spec.template.spec.containers[] | select(.name == "web") | .image',
    });
  }
  if (reply.ok) return { paths: parsePaths(reply.output, expression) };
  if (reply.exitCode === 5) return { runtimeError: reply.message };
  const detail = reply.message.split('\n')[0] ?? '';
  throw new DiffError(`ignoreDifferences: jqPathExpression "${expression}" is not valid jq: ${detail}`, { fix: 'check it with jq, e.g. jq \'del(<expression>)\' < object.json' });
}
