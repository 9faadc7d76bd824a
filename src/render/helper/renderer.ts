/**
 * Which renderer runs `helm template`: `process` (the helm binary, one process per application — the default) or
 * `helper` (the long-lived render helper, one process for all). Chosen by `--renderer`, else LAUNCHPAD_RENDERER.
 * The helper path falls back to the binary on its own whenever it cannot give the CLI's exact answer: the helper is
 * missing or cannot start, it does not handle an argument, the output passes the size limit, or the render failed
 * (the binary's error message, with helm's warnings, is the one shown).
 */
import { availableParallelism } from 'node:os';
import { ToolError } from '../../errors.js';
import { findBinary } from '../../process/binaries.js';
import { runProcess } from '../../process/run.js';
import type { RunOptions, RunResult } from '../../process/run.js';
import { RenderHelperClient, RenderHelperStartError } from './client.js';
import { findRenderHelper } from './locate.js';

export type RendererMode = 'process' | 'helper';

export const RENDERER_ENV = 'LAUNCHPAD_RENDERER';
export const RENDERER_MODES: readonly RendererMode[] = ['process', 'helper'];

let requested: RendererMode | undefined;
let client: RenderHelperClient | undefined;
let unavailable: string | undefined;

export function parseRendererMode(value: string, origin: string): RendererMode {
  if ((RENDERER_MODES as readonly string[]).includes(value)) return value as RendererMode;
  throw new ToolError(`unknown renderer "${value}" (${origin})`, { fix: `use one of: ${RENDERER_MODES.join(', ')}` });
}

/** Sets the renderer for this process (a CLI flag); undefined keeps LAUNCHPAD_RENDERER or the default. */
export function setRendererMode(mode: RendererMode | undefined): void {
  if (mode === requested) return;
  requested = mode;
  closeRenderHelper();
}

export function requestedRendererMode(): RendererMode {
  if (requested !== undefined) return requested;
  const fromEnv = process.env[RENDERER_ENV];
  return fromEnv === undefined || fromEnv === '' ? 'process' : parseRendererMode(fromEnv, RENDERER_ENV);
}

/** The helper client when the helper is requested and usable; undefined means the helm binary renders. */
function helperClient(): RenderHelperClient | undefined {
  if (requestedRendererMode() !== 'helper' || unavailable !== undefined) return undefined;
  if (client !== undefined) return client;
  const binary = findRenderHelper();
  if (binary === undefined) {
    unavailable = 'no render helper is built (run scripts/install-render-helper.sh)';
    return undefined;
  }
  client = new RenderHelperClient(binary, { workers: availableParallelism() });
  return client;
}

export interface ActiveRenderer {
  readonly mode: RendererMode;
  /** The helper binary, or why the helm binary renders. */
  readonly detail: string;
}

/** What renders now, proven by asking the helper for its version when it is requested. */
export async function activeRenderer(): Promise<ActiveRenderer> {
  const helper = helperClient();
  if (helper === undefined) {
    return { mode: 'process', detail: requestedRendererMode() === 'helper' ? `fallback: ${unavailable ?? 'unavailable'}` : 'one helm process per application' };
  }
  try {
    const version = await helper.request('version', [], 30_000);
    return { mode: 'helper', detail: `${version.stdout.trim()} (${helper.binary})` };
  } catch (error) {
    markUnavailable(error);
    return { mode: 'process', detail: `fallback: ${unavailable ?? 'unavailable'}` };
  }
}

function markUnavailable(error: unknown): void {
  unavailable = error instanceof Error ? error.message : String(error);
  closeRenderHelper();
}

/** The running helper's process id (the bench reads its peak RSS); undefined when none runs. */
export function renderHelperPid(): number | undefined {
  return client?.pid;
}

/** Stops the helper (tests, and commands that want to exit at once); the next render starts a new one. */
export function closeRenderHelper(): void {
  client?.close();
  client = undefined;
}

/** Forgets a previous fallback decision, so a helper built meanwhile is tried again (tests). */
export function resetRendererState(): void {
  closeRenderHelper();
  unavailable = undefined;
}

/**
 * Runs `helm template <args>`: through the helper when it is active and answers exactly as the binary would, else
 * through the binary. Same result and same errors either way.
 */
export async function runHelmTemplate(args: readonly string[], options: RunOptions & { readonly timeoutMs: number }): Promise<RunResult> {
  const helper = helperClient();
  if (helper === undefined || options.cwd !== undefined || options.env !== undefined || options.input !== undefined) {
    return runProcess(findBinary('helm'), args, options);
  }
  const started = performance.now();
  let response;
  try {
    response = await helper.request('helm', args, options.timeoutMs);
  } catch (error) {
    if (!(error instanceof RenderHelperStartError)) throw error; // a timeout, or the helper died twice on this render
    markUnavailable(error); // it cannot run here: the binary renders from now on
    return runProcess(findBinary('helm'), args, options);
  }
  const tooLarge = options.maxOutputBytes !== undefined && Buffer.byteLength(response.stdout) > options.maxOutputBytes;
  if (response.unsupported !== undefined || response.exitCode !== 0 || tooLarge) return runProcess(findBinary('helm'), args, options);
  return { exitCode: 0, stdout: response.stdout, stderr: response.stderr, durationMs: performance.now() - started };
}
