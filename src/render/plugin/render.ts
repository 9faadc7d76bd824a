/**
 * Renders a git source with a Config Management Plugin: choose the plugin (by name, or by discovery), copy the
 * repository to a private folder, run the plugin's init and generate commands in the application's folder of the
 * copy with Argo CD's environment, and read generate's stdout as a stream of YAML or JSON manifests. Plugins run only
 * when declared; a source that asks for one that is not is refused with the fix.
 */
import { join } from 'node:path';
import { LaunchpadError, RenderError, describeError } from '../../errors.js';
import { inputLimits } from '../../model/limits.js';
import { findBinary } from '../../process/binaries.js';
import type { KubeObject } from '../../model/resource.js';
import type { Boundary } from '../../source/containment.js';
import { readAppPlugin } from './app-plugin.js';
import type { AppPlugin } from './app-plugin.js';
import type { DeclaredPlugin, PluginCatalog } from './catalog.js';
import { hasDiscoverablePlugins, selectByDiscovery, selectNamed } from './discover.js';
import type { DiscoveryTarget, Selection } from './discover.js';
import { buildEnvironment, pluginEnvironment } from './env.js';
import type { BuildEnvInput } from './env.js';
import { runPluginCommand } from './exec.js';
import { parsePluginOutput } from './output.js';
import type { PluginCommand } from './spec.js';
import { createWorkspace } from './workspace.js';

export interface PluginRenderInput extends BuildEnvInput {
  readonly catalog: PluginCatalog | undefined;
  /** The repository folder (never written). */
  readonly repoDir: string;
  readonly boundary: Boundary;
  /** The application's path in the repository, normalised, "." for the top. */
  readonly appPath: string;
  /** "<repo> path <path>", for messages. */
  readonly displayName: string;
}

export interface PluginRenderResult {
  readonly plugin: string;
  readonly objects: KubeObject[];
  readonly processes: number;
  readonly processMs: number;
}

function label(plugin: DeclaredPlugin): string {
  return `plugin "${plugin.spec.fullName}" (${plugin.spec.file})`;
}

function notDeclared(appPlugin: AppPlugin): RenderError {
  const which = appPlugin.name === '' ? 'a config management plugin (spec.source.plugin)' : `the config management plugin "${appPlugin.name}"`;
  return new RenderError(`the source asks for ${which}, but no plugins are declared; Launchpad runs a plugin only when it is declared`, {
    fix: 'declare its plugin.yaml in launchpad.yaml ("plugins: [path/to/plugin.yaml]") or, in a cluster, with "launchpad controller --plugin <file>"',
  });
}

/**
 * LAUNCHPAD_HELM and LAUNCHPAD_KUSTOMIZE: the binaries Launchpad itself renders with (the pinned ones), so a plugin
 * that runs helm or kustomize can use the same versions. A tool that is not installed is simply left out.
 */
function toolEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, variable] of [['helm', 'LAUNCHPAD_HELM'], ['kustomize', 'LAUNCHPAD_KUSTOMIZE']] as const) {
    try {
      env[variable] = findBinary(name);
    } catch {
      // not installed: the plugin finds out if it needs it
    }
  }
  return env;
}

interface Counter {
  processes: number;
  processMs: number;
}

interface Step {
  readonly plugin: DeclaredPlugin;
  readonly step: 'init' | 'generate' | 'discover.find';
  readonly command: PluginCommand;
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** Date.now() by which every command of this render must be done. */
  readonly deadline: number;
}

async function runStep(step: Step, counter: Counter): Promise<string> {
  const result = await runPluginCommand([...step.command.command, ...step.command.args], {
    cwd: step.cwd, env: step.env, label: `${label(step.plugin)} ${step.step}`, field: `spec.${step.step}.command`,
    timeoutMs: Math.max(1, step.deadline - Date.now()), limitMs: step.plugin.timeoutMs, maxOutputBytes: inputLimits().maxFileSize,
  });
  counter.processes += 1;
  counter.processMs += result.durationMs;
  return result.stdout;
}

function discoveryTarget(input: PluginRenderInput, env: Record<string, string>, counter: Counter): DiscoveryTarget {
  return {
    repoDir: input.repoDir,
    appPath: input.appPath,
    runFind: async (plugin) => {
      const command = plugin.spec.discover?.command;
      if (command === undefined) return false;
      const workspace = await createWorkspace(input.repoDir, input.boundary, plugin.spec.preserveFileMode);
      try {
        const out = await runStep({ plugin, step: 'discover.find', command, cwd: join(workspace.root, input.appPath), env, deadline: Date.now() + plugin.timeoutMs }, counter);
        return out.replace(/\n$/, '') !== '';
      } finally {
        await workspace.remove();
      }
    },
  };
}

/** The plugin for this source; undefined when the source has no plugin block and none discovers it. */
async function choosePlugin(input: PluginRenderInput, appPlugin: AppPlugin | undefined, target: DiscoveryTarget): Promise<DeclaredPlugin | undefined> {
  const plugins = input.catalog?.plugins ?? [];
  const selection: Selection = appPlugin !== undefined && appPlugin.name !== '' ? await selectNamed(plugins, appPlugin.name, target) : await selectByDiscovery(plugins, target);
  if (selection.kind === 'selected') return selection.plugin;
  if (appPlugin === undefined) return undefined;
  const wanted = appPlugin.name === '' ? 'no declared plugin discovers this source' : `plugin "${appPlugin.name}" cannot render this source`;
  throw new RenderError(`${wanted}${selection.problem === undefined ? '' : `: ${selection.problem}`}`, {
    fix: appPlugin.name === '' ? 'name the plugin in spec.source.plugin.name, or give it a discover rule that matches the source path' : 'fix spec.source.plugin.name or the plugin\'s discover rule',
  });
}

async function generate(input: PluginRenderInput, plugin: DeclaredPlugin, env: Record<string, string>, counter: Counter): Promise<KubeObject[]> {
  const deadline = Date.now() + plugin.timeoutMs;
  const workspace = await createWorkspace(input.repoDir, input.boundary, plugin.spec.preserveFileMode);
  try {
    const cwd = join(workspace.root, input.appPath);
    if (plugin.spec.init !== undefined) await runStep({ plugin, step: 'init', command: plugin.spec.init, cwd, env, deadline }, counter);
    const stdout = await runStep({ plugin, step: 'generate', command: plugin.spec.generate, cwd, env, deadline }, counter);
    return parsePluginOutput(stdout, `${label(plugin)} generate output for ${input.displayName}`);
  } finally {
    await workspace.remove();
  }
}

/** Renders with a plugin; undefined when the source has no plugin block and no declared plugin discovers it. */
export async function renderWithPlugin(input: PluginRenderInput): Promise<PluginRenderResult | undefined> {
  const appPlugin = readAppPlugin(input.source.plugin);
  const plugins = input.catalog?.plugins ?? [];
  if (appPlugin === undefined && !hasDiscoverablePlugins(plugins)) return undefined;
  if (appPlugin !== undefined && plugins.length === 0) throw notDeclared(appPlugin);
  const env = { ...toolEnvironment(), ...pluginEnvironment(input, appPlugin) };
  const counter: Counter = { processes: 0, processMs: 0 };
  // Argo CD discovers a source without a plugin block with the build environment only.
  const plugin = await choosePlugin(input, appPlugin, discoveryTarget(input, appPlugin === undefined ? buildEnvironment(input) : env, counter));
  if (plugin === undefined) return undefined;
  try {
    const objects = await generate(input, plugin, env, counter);
    return { plugin: plugin.spec.fullName, objects, processes: counter.processes, processMs: counter.processMs };
  } catch (error) {
    if (error instanceof LaunchpadError) throw error;
    throw new RenderError(`${label(plugin)}: ${describeError(error)}`, { cause: error });
  }
}
