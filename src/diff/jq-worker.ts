/**
 * Worker thread that runs jq (jq-web: the jq C sources compiled to WebAssembly). It lives in a worker so that the
 * caller can stop an expression that runs too long by terminating the thread. Started by jq.ts only.
 * Protocol: receives {id, filter, input}; replies {id, ok: true, output} or {id, ok: false, exitCode, message};
 * posts {ready: true} once jq is loaded.
 */
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

interface JqModule {
  raw(json: string, filter: string, flags?: string[]): string;
}

export interface JqRequest {
  readonly id: number;
  readonly filter: string;
  readonly input: string;
}

export type JqReply =
  | { readonly id: number; readonly ok: true; readonly output: string }
  | { readonly id: number; readonly ok: false; readonly exitCode: number; readonly message: string };

function isJqModule(value: unknown): value is JqModule {
  return typeof value === 'object' && value !== null && typeof (value as { raw?: unknown }).raw === 'function';
}

/** jq-web reports failures as "Non-zero exit code: N\n<jq's stderr>"; jq exits 3 for compile errors, 5 at run time. */
function failure(id: number, error: unknown): JqReply {
  const text = error instanceof Error ? error.message : String(error);
  const match = /^Non-zero exit code: (\d+)\n?/.exec(text);
  return { id, ok: false, exitCode: match === null ? -1 : Number(match[1]), message: match === null ? text : text.slice(match[0].length) };
}

function run(jq: JqModule, request: JqRequest): JqReply {
  try {
    return { id: request.id, ok: true, output: jq.raw(request.input, request.filter, ['-c']) };
  } catch (error) {
    return failure(request.id, error);
  }
}

const port = parentPort;
if (port !== null) {
  const require = createRequire(import.meta.url);
  const jq: unknown = await (require('jq-web') as Promise<unknown>);
  if (!isJqModule(jq)) throw new Error('jq-web did not provide raw()');
  port.on('message', (request: JqRequest) => {
    port.postMessage(run(jq, request));
  });
  port.postMessage({ ready: true });
}
