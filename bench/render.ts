/**
 * `npm run bench:render`: renders synthetic platforms of 100 and 1,000 applications cold (empty cache) and warm
 * (nothing changed), and prints the wall time against the floor — the helm/kustomize processes' own time divided by
 * the cores — measured in the same run — and the same cold render with helm templates run by the long-lived render
 * helper (its time, its ratio to the floor, its peak RSS). Sizes can be given: `node dist/bench/render.js 100 1000`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRenderCache } from '../src/render/cache.js';
import { createApplicationLoader } from '../src/render/loader.js';
import { toolVersions } from '../src/render/tool-versions.js';
import { activeRenderer, closeRenderHelper, renderHelperPid, setRendererMode } from '../src/render/helper/renderer.js';
import { renderTree } from '../src/render/tree.js';
import type { RenderTree } from '../src/render/types.js';
import { createSourceResolver } from '../src/source/index.js';
import { createSyntheticPlatform } from './synthetic-platform.js';

async function renderOnce(rootFile: string, cacheDir: string): Promise<RenderTree> {
  // A fresh resolver and cache object per run, as a new CLI process would have; only the disk cache is shared.
  const resolver = createSourceResolver({ cacheDir, offline: false });
  const cache = createRenderCache({ resolver, offline: false, dir: join(cacheDir, 'render'), toolVersions: await toolVersions() });
  return renderTree(rootFile, { resolver, offline: false, loader: createApplicationLoader(), renderApp: (app) => cache.render(app) });
}

function check(tree: RenderTree, expectedApps: number): void {
  const failed = tree.apps.filter((app) => app.status !== 'ok');
  if (tree.apps.length !== expectedApps + 1 || failed.length > 0) {
    throw new Error(`bench platform did not render cleanly: ${tree.apps.length} apps, ${failed.length} failed: ${failed[0]?.message ?? ''}`);
  }
}

/** Peak resident memory of a process in MiB, from /proc (Linux); undefined elsewhere. */
async function peakRssMiB(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kib = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kib === undefined ? undefined : Number(kib) / 1024;
}

/** The same platform, cold again (empty cache), with helm templates rendered by one long-lived render helper. */
async function benchHelper(rootFile: string, apps: number, processColdMs: number, floorMs: number): Promise<void> {
  setRendererMode('helper');
  const renderer = await activeRenderer();
  if (renderer.mode !== 'helper') {
    console.log(`render helper      not measured: ${renderer.detail}`);
    setRendererMode(undefined);
    return;
  }
  const cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-bench-helper-cache-'));
  try {
    const cold = await renderOnce(rootFile, cacheDir);
    check(cold, apps);
    const rss = await peakRssMiB(renderHelperPid());
    console.log(`helper, cold       ${(cold.stats.wallMs / 1000).toFixed(2)} s   helm templates in one helper, ${cold.stats.processes} renders counted (kustomize still one process each)`);
    console.log(`helper vs floor    ${(floorMs / cold.stats.wallMs).toFixed(2)}× faster than the process-per-app floor, ${(processColdMs / cold.stats.wallMs).toFixed(2)}× faster than the process cold render`);
    console.log(`helper peak RSS    ${rss === undefined ? 'n/a' : `${rss.toFixed(0)} MiB`}`);
  } finally {
    closeRenderHelper();
    setRendererMode(undefined);
    await rm(cacheDir, { recursive: true, force: true });
  }
}

async function bench(apps: number): Promise<void> {
  const platform = await createSyntheticPlatform(apps);
  const cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-bench-cache-'));
  try {
    const cores = availableParallelism();
    const cold = await renderOnce(platform.rootFile, cacheDir);
    check(cold, apps);
    const floorMs = cold.stats.processMs / cores;
    const warm = await renderOnce(platform.rootFile, cacheDir);
    check(warm, apps);
    const resources = cold.apps.reduce((sum, app) => sum + app.resources.length, 0);
    console.log(`\n== ${apps} applications (${resources} resources), ${cores} cores`);
    console.log(`cold render        ${(cold.stats.wallMs / 1000).toFixed(2)} s   ${cold.stats.processes} helm/kustomize processes`);
    console.log(`floor              ${(floorMs / 1000).toFixed(2)} s   (sum of process time ${(cold.stats.processMs / 1000).toFixed(2)} s / ${cores} cores)`);
    console.log(`overhead ratio     ${(cold.stats.wallMs / floorMs).toFixed(2)}×  (goal ≤ 1.25×)`);
    console.log(`warm, no change    ${(warm.stats.wallMs / 1000).toFixed(3)} s   ${warm.stats.cacheHits} cache hits, ${warm.stats.processes} processes (goal < 1 s for 1,000 apps)`);
    await benchHelper(platform.rootFile, apps, cold.stats.wallMs, floorMs);
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
    await platform.remove();
  }
}

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
for (const size of sizes.length > 0 ? sizes : [100, 1000]) await bench(size);
