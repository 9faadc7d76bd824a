/**
 * Which renderer runs `helm template` and `kustomize build`: `helper` (the long-lived render helpers, one process per
 * tool for all applications — the default when they are built) or `process` (the binaries, one process per
 * application). Chosen by `--renderer`, else LAUNCHPAD_RENDERER, else `helper`.
 *
 * The helper path falls back to the binary on its own whenever it cannot give the CLI's exact answer: the helper is
 * missing, cannot start, or links another version than the binary in use (said once, on stderr, unless nobody asked
 * for the helper and none is built); it does not handle an argument; the output passes the size limit; or the render
 * failed (the binary's error message, warnings included, is the one shown).
 */
import { availableParallelism } from 'node:os';
import { ToolError, describeError } from '../../errors.js';
import { findBinary } from '../../process/binaries.js';
import { runProcess } from '../../process/run.js';
import type { RunOptions, RunResult } from '../../process/run.js';
import { RenderHelperClient, RenderHelperError, RenderHelperStartError } from './client.js';
import type { HelperResponse } from './client.js';
import { findRenderHelper, missingHelperReason } from './locate.js';
import type { HelperTool } from './locate.js';

export type RendererMode = 'process' | 'helper';

export const RENDERER_ENV = 'LAUNCHPAD_RENDERER';
export const RENDERER_MODES: readonly RendererMode[] = ['process', 'helper'];
const HELPER_TOOLS: readonly HelperTool[] = ['helm', 'kustomize'];

interface HelperState {
  /** Started once: locating the binary, its first answer and the version check against the binary. */
  ready?: Promise<RenderHelperClient | undefined> | undefined;
  client?: RenderHelperClient | undefined;
  /** Why the binary renders for this tool in this process (the helper is not tried again until a reset). */
  unavailable?: string;
  /** The helper's own version line, from its first answer. */
  version?: string;
}

let requested: RendererMode | undefined;
const states: Record<HelperTool, HelperState> = { helm: {}, kustomize: {} };

export function parseRendererMode(value: string, origin: string): RendererMode {
  if ((RENDERER_MODES as readonly string[]).includes(value)) return value as RendererMode;
  throw new ToolError(`unknown renderer "${value}" (${origin})`, { fix: `use one of: ${RENDERER_MODES.join(', ')}` });
}

/** Sets the renderer for this process (a CLI flag); undefined keeps LAUNCHPAD_RENDERER or the default. */
export function setRendererMode(mode: RendererMode | undefined): void {
  if (mode === requested) return;
  requested = mode;
  resetRendererState();
}

/** The mode asked for, and whether someone asked (a flag or the environment) rather than the default choosing it. */
function requestedMode(): { mode: RendererMode; explicit: boolean } {
  if (requested !== undefined) return { mode: requested, explicit: true };
  const fromEnv = process.env[RENDERER_ENV];
  if (fromEnv === undefined || fromEnv === '') return { mode: 'helper', explicit: false };
  return { mode: parseRendererMode(fromEnv, RENDERER_ENV), explicit: true };
}

export function requestedRendererMode(): RendererMode {
  return requestedMode().mode;
}

/** The version each binary prints, compared with what the helper links: a helper is only as good as that match. */
const BINARY_VERSION_ARGS: Record<HelperTool, readonly string[]> = {
  helm: ['version', '--template', '{{.Version}}'],
  kustomize: ['version'],
};

/** `render-helper helm=v3.20.2 kube=v1.35.0` → v3.20.2 for helm; `… kustomize=v5.7.1` → v5.7.1 for kustomize. */
function linkedVersion(tool: HelperTool, versionLine: string): string | undefined {
  return new RegExp(`\\b${tool}=(\\S+)`).exec(versionLine)?.[1];
}

async function startHelper(tool: HelperTool, explicit: boolean): Promise<RenderHelperClient | undefined> {
  const state = states[tool];
  const binary = findRenderHelper(tool);
  if (binary === undefined) {
    state.unavailable = missingHelperReason(tool);
    if (explicit) say(tool, state.unavailable);
    return undefined;
  }
  const client = new RenderHelperClient(binary, { workers: availableParallelism() });
  state.client = client;
  try {
    state.version = (await client.request('version', [], 30_000)).stdout.trim();
    const helperVersion = linkedVersion(tool, state.version);
    const binaryVersion = (await runProcess(findBinary(tool), BINARY_VERSION_ARGS[tool], { timeoutMs: 30_000 })).stdout.trim();
    if (helperVersion !== binaryVersion) {
      throw new ToolError(`the ${tool} render helper links ${tool} ${helperVersion ?? '(unknown)'} but the ${tool} binary in use is ${binaryVersion}`);
    }
    return client;
  } catch (error) {
    // Closed or reset while starting (a changed mode, a test): not this helper's fault, the next render starts anew.
    if (states[tool] !== state || state.client !== client) return undefined;
    markUnavailable(tool, error);
    return undefined;
  }
}

/** The one line a process prints when a helper it would use cannot be used. */
function say(tool: HelperTool, reason: string): void {
  process.stderr.write(`launchpad: ${reason}; rendering with the ${tool} binary\n`);
}

/** The helper client for a tool when the helper is requested and usable; undefined means the binary renders. */
async function helperFor(tool: HelperTool): Promise<RenderHelperClient | undefined> {
  const { mode, explicit } = requestedMode();
  const state = states[tool];
  if (mode !== 'helper' || state.unavailable !== undefined) return undefined;
  state.ready ??= startHelper(tool, explicit);
  return state.ready;
}

export interface ActiveRenderer {
  /** `helper` when at least one tool renders through its helper. */
  readonly mode: RendererMode;
  /** Per tool: the helper (version and binary), or why the binary renders. */
  readonly detail: string;
  readonly tools: Readonly<Record<HelperTool, { readonly mode: RendererMode; readonly detail: string }>>;
}

/** What renders now, proven by starting each helper (its first answer and the version check). */
export async function activeRenderer(): Promise<ActiveRenderer> {
  const tools = {} as Record<HelperTool, { mode: RendererMode; detail: string }>;
  for (const tool of HELPER_TOOLS) {
    const helper = await helperFor(tool);
    const state = states[tool];
    if (helper !== undefined) tools[tool] = { mode: 'helper', detail: `${state.version ?? tool} (${helper.binary})` };
    else if (requestedRendererMode() === 'process') tools[tool] = { mode: 'process', detail: `one ${tool} process per application` };
    else tools[tool] = { mode: 'process', detail: `fallback: ${state.unavailable ?? 'unavailable'}` };
  }
  const mode = HELPER_TOOLS.some((tool) => tools[tool].mode === 'helper') ? 'helper' : 'process';
  const detail = HELPER_TOOLS.map((tool) => `${tool}: ${tools[tool].detail}`).join('; ');
  return { mode, detail, tools };
}

/** The binary renders for this tool from now on; said once, however many renders were in flight. */
function markUnavailable(tool: HelperTool, error: unknown): void {
  const state = states[tool];
  if (state.unavailable !== undefined) return;
  state.unavailable = describeError(error);
  closeHelper(tool);
  say(tool, state.unavailable);
}

/** The running helpers' process ids (the bench reads their peak RSS); empty when none runs. */
export function renderHelperPids(): number[] {
  return HELPER_TOOLS.map((tool) => states[tool].client?.pid).filter((pid): pid is number => pid !== undefined);
}

function closeHelper(tool: HelperTool): void {
  const state = states[tool];
  state.client?.close();
  state.client = undefined;
  state.ready = undefined;
}

/** Stops the helpers (tests, and commands that want to exit at once); the next render starts new ones. */
export function closeRenderHelper(): void {
  for (const tool of HELPER_TOOLS) {
    if (states[tool].unavailable === undefined) closeHelper(tool);
  }
}

/** Forgets previous fallback decisions, so a helper built meanwhile is tried again (tests, a changed mode). */
export function resetRendererState(): void {
  for (const tool of HELPER_TOOLS) {
    closeHelper(tool);
    states[tool] = {};
  }
}

type HelperRunOptions = RunOptions & { readonly timeoutMs: number };

/**
 * Sends one command to a tool's helper, or runs the binary when the helper is not in use or cannot answer exactly as
 * the binary would. Same result and same errors either way.
 */
async function runThroughHelper(tool: HelperTool, args: readonly string[], options: HelperRunOptions, helperCanRun: boolean): Promise<RunResult> {
  const helper = helperCanRun ? await helperFor(tool) : undefined;
  if (helper === undefined) return runProcess(findBinary(tool), args, options);
  const started = performance.now();
  let response: HelperResponse;
  try {
    response = await helper.request(tool, args, options.timeoutMs);
  } catch (error) {
    if (error instanceof RenderHelperStartError) {
      markUnavailable(tool, error); // it cannot run here: the binary renders from now on
    } else if (!(error instanceof RenderHelperError && states[tool].unavailable !== undefined)) {
      throw error; // a timeout, or the helper died twice on this render
    } // else: closed because another render found it unusable, so this one goes to the binary too
    return runProcess(findBinary(tool), args, options);
  }
  const tooLarge = options.maxOutputBytes !== undefined && Buffer.byteLength(response.stdout) > options.maxOutputBytes;
  if (response.unsupported !== undefined || response.exitCode !== 0 || tooLarge) return runProcess(findBinary(tool), args, options);
  return { exitCode: 0, stdout: response.stdout, stderr: response.stderr, durationMs: performance.now() - started };
}

/** Runs `helm template <args>`; the helper does not share a working folder, environment or stdin, so those go to helm. */
export async function runHelmTemplate(args: readonly string[], options: HelperRunOptions): Promise<RunResult> {
  return runThroughHelper('helm', args, options, options.cwd === undefined && options.env === undefined && options.input === undefined);
}

/**
 * Runs `kustomize build <absolute folder>`. The working folder does not matter for an absolute path, and the
 * environment Launchpad adds (ARGOCD_APP_*) is read by nothing a build without plugins runs; a KUSTOMIZE_* variable
 * could change the build, so one sends it to the binary.
 */
export async function runKustomizeBuild(args: readonly string[], options: HelperRunOptions): Promise<RunResult> {
  const envChangesBuild = Object.keys(options.env ?? {}).some((name) => name.startsWith('KUSTOMIZE'));
  return runThroughHelper('kustomize', args, options, args[0] === 'build' && options.input === undefined && !envChangesBuild);
}
