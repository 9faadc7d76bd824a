/**
 * `npm run bench:render`: renders synthetic platforms of 100 and 1,000 applications, in one run:
 *   - with `--renderer=process` (one helm/kustomize process per application): cold (empty cache) and warm (nothing
 *     changed), and the process-per-app floor — the processes' own time divided by the cores;
 *   - with the long-lived render helpers (the default): cold again from an empty cache, helpers started from
 *     nothing, its ratio to the floor and to the process cold render, warm, and each helper's peak RSS.
 * Goal (issue 17): 1,000 applications cold in < 8 s on two cores (≥ 4× below the floor), warm < 1 s, same bytes
 * (the differential test proves the bytes; here every app must render and the resource count must agree).
 * Sizes can be given: `node dist/bench/render.js 100 1000`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createRenderCache } from '../src/render/cache.js';
import { createApplicationLoader } from '../src/render/loader.js';
import { toolVersions } from '../src/render/tool-versions.js';
import { activeRenderer, closeRenderHelper, renderHelperPids, setRendererMode } from '../src/render/helper/renderer.js';
import type { RendererMode } from '../src/render/helper/renderer.js';
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

function check(tree: RenderTree, expectedApps: number): number {
  const failed = tree.apps.filter((app) => app.status !== 'ok');
  if (tree.apps.length !== expectedApps + 1 || failed.length > 0) {
    throw new Error(`bench platform did not render cleanly: ${tree.apps.length} apps, ${failed.length} failed: ${failed[0]?.message ?? ''}`);
  }
  return tree.apps.reduce((sum, app) => sum + app.resources.length, 0);
}

/** Peak resident memory of a process in MiB, from /proc (Linux); undefined elsewhere. */
async function peakRssMiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kib = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kib === undefined ? undefined : Number(kib) / 1024;
}

interface Measured {
  readonly cold: RenderTree;
  readonly warm: RenderTree;
  readonly resources: number;
  /** Each helper's peak RSS after the cold render, e.g. `render-helper 61 MiB`. */
  readonly rss: string[];
}

/** A cold render from an empty cache (helpers started from nothing), then a warm one with nothing changed. */
async function measure(mode: RendererMode, rootFile: string, apps: number): Promise<Measured> {
  setRendererMode(mode);
  const cacheDir = await mkdtemp(join(tmpdir(), `launchpad-bench-${mode}-cache-`));
  try {
    const cold = await renderOnce(rootFile, cacheDir);
    const resources = check(cold, apps);
    const rss: string[] = [];
    for (const pid of renderHelperPids()) {
      const command = basename((await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => `pid ${pid}`)).split('\0')[0] ?? '');
      const peak = await peakRssMiB(pid);
      rss.push(`${command} ${peak === undefined ? 'n/a' : `${peak.toFixed(0)} MiB`}`);
    }
    const warm = await renderOnce(rootFile, cacheDir);
    check(warm, apps);
    return { cold, warm, resources, rss };
  } finally {
    closeRenderHelper();
    await rm(cacheDir, { recursive: true, force: true });
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function bench(apps: number): Promise<void> {
  const platform = await createSyntheticPlatform(apps);
  try {
    const cores = availableParallelism();
    const load = loadavg().map((value) => value.toFixed(1)).join(' ');
    const viaProcess = await measure('process', platform.rootFile, apps);
    const floorMs = viaProcess.cold.stats.processMs / cores;
    console.log(`\n== ${apps} applications (${viaProcess.resources} resources), ${cores} cores, load average ${load} at start`);
    console.log(`process, cold      ${seconds(viaProcess.cold.stats.wallMs)}   ${viaProcess.cold.stats.processes} helm/kustomize processes`);
    console.log(`process floor      ${seconds(floorMs)}   (sum of process time ${seconds(viaProcess.cold.stats.processMs)} / ${cores} cores)`);
    console.log(`process overhead   ${(viaProcess.cold.stats.wallMs / floorMs).toFixed(2)}× the floor`);
    console.log(`process, warm      ${seconds(viaProcess.warm.stats.wallMs)}   ${viaProcess.warm.stats.cacheHits} cache hits, ${viaProcess.warm.stats.processes} processes`);

    setRendererMode('helper');
    const renderer = await activeRenderer();
    closeRenderHelper();
    if (renderer.mode !== 'helper') {
      console.log(`helper             not measured: ${renderer.detail}`);
      return;
    }
    const viaHelper = await measure('helper', platform.rootFile, apps);
    if (viaHelper.resources !== viaProcess.resources) throw new Error(`the helper rendered ${viaHelper.resources} resources, the processes ${viaProcess.resources}`);
    console.log(`helper, cold       ${seconds(viaHelper.cold.stats.wallMs)}   ${viaHelper.cold.stats.processes} renders in two long-lived helpers, started cold`);
    console.log(`helper vs floor    ${(floorMs / viaHelper.cold.stats.wallMs).toFixed(2)}× faster than the process-per-app floor, ${(viaProcess.cold.stats.wallMs / viaHelper.cold.stats.wallMs).toFixed(2)}× faster than the process cold render (goal for 1,000 apps: < 8 s, ≥ 4× the floor)`);
    console.log(`helper, warm       ${seconds(viaHelper.warm.stats.wallMs)}   ${viaHelper.warm.stats.cacheHits} cache hits, ${viaHelper.warm.stats.processes} renders (goal < 1 s for 1,000 apps)`);
    console.log(`helper peak RSS    ${viaHelper.rss.join(', ')}   (${renderer.detail})`);
  } finally {
    setRendererMode(undefined);
    await platform.remove();
  }
}

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
for (const size of sizes.length > 0 ? sizes : [100, 1000]) await bench(size);
