/**
 * `npm run bench:diff`: `launchpad diff --base/--head` on synthetic platforms (bench/synthetic-platform.ts).
 *   - 100 applications, cold (empty caches): one values file changed, and a wide change (the shared chart template
 *     and the shared kustomize base: 70 applications affected). Goal < 5 s on 2 cores.
 *   - 1,000 applications, one values file changed, with the render cache of the base revision already filled (as a
 *     CI cache restored from the main branch would have it). Goal < 3 s. The cold figure is printed too.
 * Every measure is taken twice in the same run: with the long-lived render helpers (the default) and with
 * `--renderer=process` (one helm/kustomize process per application), with the ratio between them.
 * Sizes can be given: `node dist/bench/diff.js 100 1000`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPreview } from '../src/preview/index.js';
import type { PreviewReport } from '../src/preview/index.js';
import { activeRenderer, closeRenderHelper, setRendererMode } from '../src/render/helper/renderer.js';
import type { RendererMode } from '../src/render/helper/renderer.js';
import { createSyntheticPlatform } from './synthetic-platform.js';
import type { SyntheticPlatform } from './synthetic-platform.js';

interface Run {
  readonly report: PreviewReport;
  readonly seconds: number;
}

async function diff(platform: SyntheticPlatform, options: { readonly configFile: string; readonly cacheDir: string; readonly base: string }): Promise<Run> {
  const started = performance.now();
  const report = await runPreview({ roots: [platform.rootFile], cwd: platform.repo.dir, configFile: options.configFile, base: options.base, head: 'HEAD', cacheDir: options.cacheDir, offline: true });
  const seconds = (performance.now() - started) / 1000;
  const failed = report.clusters.flatMap((cluster) => cluster.applications.filter((app) => app.change === 'error'));
  if (failed.length > 0) throw new Error(`bench diff failed: ${failed[0]?.name ?? ''}: ${failed[0]?.errors[0]?.message ?? ''}`);
  return { report, seconds };
}

function line(label: string, run: Run, goal: string): string {
  const [cluster] = run.report.clusters;
  const summary = cluster?.summary;
  const { stats } = run.report;
  const changed = summary === undefined ? '?' : `${summary.appsChanged} changed / ${summary.appsUnaffected} unaffected`;
  return `${label.padEnd(52)} ${run.seconds.toFixed(2).padStart(6)} s   apps: ${changed}   renders: base ${stats.processes.base}, head ${stats.processes.head}   ${goal}`;
}

/** Renderers measured, the default first; the helpers only when they are built and start here. */
async function renderers(): Promise<RendererMode[]> {
  setRendererMode('helper');
  const active = await activeRenderer();
  closeRenderHelper();
  if (active.mode !== 'helper') console.log(`(helper not measured: ${active.detail})`);
  return active.mode === 'helper' ? ['helper', 'process'] : ['process'];
}

/** Runs one scenario with each renderer (run picks a cache directory per renderer), printing both and the ratio. */
async function both(label: string, goal: string, modes: readonly RendererMode[], run: (mode: RendererMode) => Promise<Run>): Promise<void> {
  const seconds: Partial<Record<RendererMode, number>> = {};
  for (const mode of modes) {
    setRendererMode(mode);
    try {
      const result = await run(mode);
      seconds[mode] = result.seconds;
      console.log(line(`${label} [${mode}]`, result, goal));
    } finally {
      closeRenderHelper();
    }
  }
  setRendererMode(undefined);
  if (seconds.helper !== undefined && seconds.process !== undefined) console.log(`${''.padEnd(52)} helper ${(seconds.process / seconds.helper).toFixed(2)}× faster than process`);
}

const WIDE_CHANGE = {
  'charts/app/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {tier: web}\nspec:\n  selector: {app: {{ .Release.Name }}}\n  ports: [{port: 80, targetPort: {{ .Values.port }}}]\n',
  'kustomize/base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {tier: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
};

async function bench(apps: number): Promise<void> {
  const platform = await createSyntheticPlatform(apps);
  const work = await mkdtemp(join(tmpdir(), 'launchpad-bench-diff-'));
  const configFile = join(work, 'launchpad.yaml');
  await writeFile(configFile, `repositories:\n  - url: ${platform.repo.url}\n    path: ${platform.repo.dir}\n`);
  const fresh = (name: string): string => join(work, `cache-${name}`);
  try {
    console.log(`\n== ${apps} applications, ${availableParallelism()} cores, load average ${loadavg().map((value) => value.toFixed(1)).join(' ')} at start`);
    const modes = await renderers();
    await platform.repo.git('tag', 'v0');
    await platform.repo.commit({ 'values/app-0000.yaml': 'replicas: 2\nimage:\n  tag: "9.9"\n' }, 'one values file');
    await both('cold, one values file changed', apps <= 100 ? '(goal < 5 s)' : '(for reference)', modes,
      (mode) => diff(platform, { configFile, cacheDir: fresh(`cold-${mode}`), base: 'v0' }));

    if (apps <= 100) {
      await platform.repo.tag('v1');
      await platform.repo.commit(WIDE_CHANGE, 'shared chart template and kustomize base');
      await both('cold, chart template + kustomize base', '(goal < 5 s)', modes,
        (mode) => diff(platform, { configFile, cacheDir: fresh(`wide-${mode}`), base: 'v1' }));
      return;
    }
    // The cache a CI job restores: the base revision rendered before (here by diffing it with itself), per renderer.
    for (const mode of modes) {
      setRendererMode(mode);
      await diff(platform, { configFile, cacheDir: fresh(`warm-${mode}`), base: 'v0' });
      closeRenderHelper();
    }
    await platform.repo.tag('v1');
    await platform.repo.commit({ 'values/app-0010.yaml': 'replicas: 3\nimage:\n  tag: "9.10"\n' }, 'another values file');
    await both('base cached, one values file changed', '(goal < 3 s)', modes,
      (mode) => diff(platform, { configFile, cacheDir: fresh(`warm-${mode}`), base: 'v1' }));
  } finally {
    await rm(work, { recursive: true, force: true });
    await platform.remove();
  }
}

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
for (const size of sizes.length > 0 ? sizes : [100, 1000]) await bench(size);
