/**
 * What `render`, `tree` (and later `diff`) share: find launchpad.yaml, build the source resolver, render the tree of a
 * root file, and show progress on a terminal.
 */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createRenderCache } from '../render/cache.js';
import { configuredCapabilities } from '../render/capabilities.js';
import { discoverCapabilities } from '../kube/capabilities.js';
import type { ClusterCapabilities } from '../kube/capabilities.js';
import type { KubeClient } from '../kube/types.js';
import { createApplicationLoader } from '../render/loader.js';
import { loadPluginCatalog } from '../render/plugin/catalog.js';
import { toolVersions } from '../render/tool-versions.js';
import { loadLuaHealthDir, setCustomHealthChecks } from '../health/lua/index.js';
import { renderTreeWithApplicationSets } from '../appset/offline.js';
import type { RenderTree } from '../render/types.js';
import { findConfig, loadConfig } from '../source/config.js';
import { createSourceResolver, defaultCacheDir } from '../source/index.js';
import { parseRendererMode, setRendererMode } from '../render/helper/renderer.js';

/** The options every rendering command takes: which launchpad.yaml, whether the network may be used, the renderer. */
export function addRenderOptions(command: Command): Command {
  // Applied before the action runs, so commands that render without a session (diff) honour --renderer too.
  command.hook('preAction', (actionCommand) => {
    const { renderer } = actionCommand.opts<{ renderer?: string }>();
    if (renderer !== undefined) setRendererMode(parseRendererMode(renderer, '--renderer'));
  });
  return command
    .option('--config <file>', 'launchpad.yaml with repository substitutions (default: found beside the root file or above)')
    .option('--offline', 'never touch the network; remote sources that are not substituted or cached are skipped')
    .option('--renderer <mode>', 'helper: the long-lived render helpers for helm and kustomize, falling back to the binaries when unavailable; process: one helm or kustomize process per application (default: $LAUNCHPAD_RENDERER or helper)');
}

export interface RenderSessionOptions {
  readonly config?: string;
  readonly offline?: boolean;
  readonly cacheDir?: string;
  /**
   * The cluster the rendered applications go to (sync): helm renders for its version and API versions, read once by
   * discovery, as Argo CD renders for the destination cluster. @default launchpad.yaml's `clusters:`, else the default
   */
  readonly cluster?: KubeClient;
  /** `--renderer`: who runs `helm template` and `kustomize build`. @default LAUNCHPAD_RENDERER, else helper */
  readonly renderer?: string;
}

export interface RenderSession {
  readonly configFile: string | undefined;
  readonly warnings: readonly string[];
  render(rootFile: string): Promise<RenderTree>;
}

function progress(): ((done: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done) => process.stderr.write(`\rrendered ${done} application${done === 1 ? '' : 's'}…`);
}

export async function openRenderSession(rootFiles: readonly string[], options: RenderSessionOptions): Promise<RenderSession> {
  const firstRoot = rootFiles[0] === undefined ? undefined : resolve(rootFiles[0]);
  const configFile = options.config === undefined ? await findConfig(firstRoot, process.cwd()) : resolve(options.config);
  const config = configFile === undefined ? undefined : await loadConfig(configFile);
  const offline = options.offline === true;
  if (options.renderer !== undefined) setRendererMode(parseRendererMode(options.renderer, '--renderer'));
  const resolver = createSourceResolver({
    offline,
    ...(config === undefined ? {} : { config }),
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
  });
  const loader = createApplicationLoader();
  // Plugins run only when declared in launchpad.yaml (`plugins:`); a bad plugin.yaml stops here, naming its line.
  const plugins = await loadPluginCatalog(config?.plugins ?? []);
  // Lua health checks named by launchpad.yaml judge what sync and status wait for.
  if (config?.health?.luaDir !== undefined) setCustomHealthChecks({ folder: await loadLuaHealthDir(config.health.luaDir, `as health.luaDir in ${config.file}`) });
  let discovered: Promise<ClusterCapabilities> | undefined;
  const { cluster } = options;
  const cache = createRenderCache({
    resolver,
    offline,
    clusterCapabilities: async (destination) => {
      if (cluster !== undefined) discovered ??= discoverCapabilities(cluster);
      return [await discovered, configuredCapabilities(config?.clusters, destination)];
    },
    dir: join(options.cacheDir ?? defaultCacheDir(), 'render'),
    toolVersions: await toolVersions(),
    plugins,
  });
  return {
    configFile,
    warnings: [...(config?.warnings ?? []), ...plugins.warnings],
    async render(rootFile) {
      const show = progress();
      let done = 0;
      // ApplicationSets in the tree are expanded into their Applications (src/appset/offline.ts).
      const tree = await renderTreeWithApplicationSets(resolve(rootFile), {
        resolver,
        offline,
        loader,
        renderApp: (app) => cache.render(app),
        onAppRendered: () => {
          done += 1;
          show?.(done);
        },
      }, { resolver, offline, ...(config?.clusters === undefined ? {} : { clusters: config.clusters }) });
      if (show !== undefined) process.stderr.write('\r\x1b[K');
      return tree;
    },
  };
}
