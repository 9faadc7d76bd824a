/**
 * `npm run bench:diff`: `launchpad diff --base/--head` on synthetic platforms (bench/synthetic-platform.ts).
 *   - 100 applications, cold (empty caches): one values file changed, and a wide change (the shared chart template
 *     and the shared kustomize base: 70 applications affected). Goal < 5 s on 2 cores.
 *   - 1,000 applications, one values file changed, with the render cache of the base revision already filled (as a
 *     CI cache restored from the main branch would have it). Goal < 3 s. The cold figure is printed too.
 * Sizes can be given: `node dist/bench/diff.js 100 1000`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPreview } from '../src/preview/index.js';
import type { PreviewReport } from '../src/preview/index.js';
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
  return `${label.padEnd(42)} ${run.seconds.toFixed(2).padStart(6)} s   apps: ${changed}   processes: base ${stats.processes.base}, head ${stats.processes.head}   ${goal}`;
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
    console.log(`\n== ${apps} applications, ${availableParallelism()} cores`);
    await platform.repo.git('tag', 'v0');
    await platform.repo.commit({ 'values/app-0000.yaml': 'replicas: 2\nimage:\n  tag: "9.9"\n' }, 'one values file');
    const cold = await diff(platform, { configFile, cacheDir: fresh('cold'), base: 'v0' });
    console.log(line('cold, one values file changed', cold, apps <= 100 ? '(goal < 5 s)' : '(for reference)'));

    if (apps <= 100) {
      await platform.repo.tag('v1');
      await platform.repo.commit(WIDE_CHANGE, 'shared chart template and kustomize base');
      const wide = await diff(platform, { configFile, cacheDir: fresh('wide'), base: 'v1' });
      console.log(line('cold, chart template + kustomize base', wide, '(goal < 5 s)'));
      return;
    }
    // The cache a CI job restores: the base revision rendered before (here by diffing it with itself).
    const warmCache = fresh('warm');
    await diff(platform, { configFile, cacheDir: warmCache, base: 'v0' });
    await platform.repo.tag('v1');
    await platform.repo.commit({ 'values/app-0010.yaml': 'replicas: 3\nimage:\n  tag: "9.10"\n' }, 'another values file');
    const warm = await diff(platform, { configFile, cacheDir: warmCache, base: 'v1' });
    console.log(line('base cached, one values file changed', warm, '(goal < 3 s)'));
  } finally {
    await rm(work, { recursive: true, force: true });
    await platform.remove();
  }
}

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
for (const size of sizes.length > 0 ? sizes : [100, 1000]) await bench(size);
