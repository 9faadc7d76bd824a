/**
 * GIVEN a platform of real git repositories rendered with real helm and kustomize, WHEN realistic changes are
 * diffed — a values file, a shared kustomize base, a chart template, a root overlay patch, a new app — THEN the
 * impact-limited diff (render cache + reuse of unaffected apps) equals a full re-render with the cache disabled,
 * names exactly the affected applications, and reports the others as unaffected.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatJson, outcomeOf, runPreview } from '../../../src/preview/index.js';
import type { PreviewOptions, PreviewReport } from '../../../src/preview/index.js';
import { URLS, createFixturePlatform, markBase, pathApp } from './fixture-platform.js';
import type { FixturePlatform } from './fixture-platform.js';
import { tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let platform: FixturePlatform;

before(async () => {
  work = await tempDir('launchpad-preview-impact-');
  platform = await createFixturePlatform(work.dir);
});
after(() => work.remove());

function options(cacheDir: string, extra: Partial<PreviewOptions> = {}): PreviewOptions {
  return {
    roots: platform.roots,
    cwd: platform.dir,
    configFile: platform.configFile,
    base: 'base',
    head: 'HEAD',
    revisions: [{ repo: URLS.charts, base: 'base', head: 'HEAD' }, { repo: URLS.values, base: 'base', head: 'HEAD' }],
    offline: true,
    cacheDir,
    ...extra,
  };
}

/** The JSON document without the one figure that must differ: how many apps impact analysis reused. */
function comparable(report: PreviewReport): string {
  return formatJson(report).replace(/"appsUnaffected": \d+/g, '"appsUnaffected": "-"');
}

/** Changed/added/removed application names per cluster. */
function affected(report: PreviewReport): Record<string, string[]> {
  return Object.fromEntries(report.clusters.map((cluster) => [cluster.name, cluster.applications.map((app) => `${app.change} ${app.name}`)]));
}

interface Scenario {
  readonly name: string;
  readonly change: () => Promise<unknown>;
  readonly expected: Record<string, string[]>;
}

const scenarios: readonly Scenario[] = [
  {
    name: 'a values file',
    change: () => platform.values.commit({ 'web/values.yaml': 'image: {tag: "2.0.1"}\nreplicas: 2\n' }, 'web 2.0.1'),
    expected: { dev: ['changed web'], prod: ['changed web'] },
  },
  {
    name: 'a shared kustomize base',
    change: () => platform.config.commit({ 'kustomize/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: "nginx:1.27"}]\n' }, 'two replicas'),
    expected: { dev: ['changed docs', 'changed shop'], prod: ['changed docs', 'changed shop'] },
  },
  {
    name: 'a chart template',
    change: () => platform.charts.commit({ 'app/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {tier: web}\nspec:\n  selector: {app: {{ .Release.Name }}}\n  ports: [{port: 80}]\n' }, 'service label'),
    expected: { dev: ['changed api', 'changed web'], prod: ['changed api', 'changed web'] },
  },
  {
    name: 'a root overlay patch',
    change: () => platform.config.commit({ 'clusters/prod/kustomization.yaml': 'resources: [../base]\npatches:\n  - target: {kind: Application, name: api}\n    patch: |-\n      - op: add\n        path: /spec/sources/0/helm/valueFiles/-\n        value: $values/api/values-prod.yaml\n  - target: {kind: Application, name: static}\n    patch: |-\n      - op: replace\n        path: /spec/destination/namespace\n        value: static-prod\n' }, 'static in its own namespace on prod'),
    expected: { dev: [], prod: ['changed root-prod', 'changed static'] },
  },
  {
    name: 'a new app',
    change: () => platform.config.commit({
      'clusters/base/kustomization.yaml': 'resources: [web.yaml, api.yaml, shop.yaml, docs.yaml, static.yaml, extra.yaml]\n',
      'clusters/base/extra.yaml': pathApp('extra', 'extra'),
      'extra/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: "1"\n',
    }, 'extra app'),
    expected: { dev: ['changed root-dev', 'added extra'], prod: ['changed root-prod', 'added extra'] },
  },
];

describe('impact analysis', () => {
  for (const scenario of scenarios) {
    test(`GIVEN ${scenario.name} changed THEN the impact-limited diff equals a full re-render and names only the affected apps`, async () => {
      const caches = await tempDir('launchpad-preview-impact-cache-');
      try {
        await markBase(platform);
        await scenario.change();
        const limited = await runPreview(options(caches.dir));
        const full = await runPreview(options(caches.dir, { renderCache: false, impactAnalysis: false }));
        assert.equal(comparable(limited), comparable(full));
        assert.deepEqual(affected(limited), scenario.expected);
        assert.equal(outcomeOf(limited), 1);
        assert.equal(full.stats.unaffected, 0);
        const apps = 6 + (scenario.name === 'a new app' ? 1 : 0);
        const changed = Object.values(scenario.expected).flat().length;
        // Every app that is not affected (at head) was reused, not rendered again.
        assert.equal(limited.stats.unaffected, 2 * apps - changed);
        assert.equal(limited.clusters.reduce((sum, cluster) => sum + cluster.summary.appsUnaffected, 0), limited.stats.unaffected);
      } finally {
        await caches.remove();
      }
    });
  }

  test('GIVEN both sides share a render cache and impact analysis is off THEN the unaffected apps are cache hits at head', async () => {
    const caches = await tempDir('launchpad-preview-impact-cache-');
    try {
      await markBase(platform);
      await platform.values.commit({ 'api/values.yaml': 'image: {tag: "3.2.0"}\n' }, 'api 3.2.0');
      const withImpact = await runPreview(options(caches.dir));
      const cacheOnly = await runPreview(options(caches.dir, { impactAnalysis: false }));
      assert.equal(comparable(cacheOnly), comparable(withImpact));
      assert.deepEqual(affected(cacheOnly), { dev: ['changed api'], prod: ['changed api'] });
      assert.equal(cacheOnly.stats.cacheHits.head, withImpact.stats.unaffected);
      assert.equal(cacheOnly.stats.unaffected, 0);
    } finally {
      await caches.remove();
    }
  });

  test('GIVEN uncommitted edits (head = the working trees) THEN unaffected apps are still reused', async () => {
    const caches = await tempDir('launchpad-preview-impact-cache-');
    const original = 'image: {tag: "2.0.1"}\nreplicas: 2\n';
    try {
      await markBase(platform);
      await platform.values.write({ 'web/values.yaml': 'image: {tag: "2.0.9"}\nreplicas: 2\n' });
      const report = await runPreview({
        roots: platform.roots, cwd: platform.dir, configFile: platform.configFile, offline: true, cacheDir: caches.dir, base: 'base',
        revisions: [{ repo: URLS.charts, base: 'base', head: undefined }, { repo: 'values', base: 'base', head: undefined }],
      });
      assert.deepEqual(affected(report), { dev: ['changed web'], prod: ['changed web'] });
      assert.equal(report.stats.unaffected, 2 * 7 - 2); // seven apps per cluster since "a new app"; web changed in both
      assert.deepEqual(report.repositories.map((repo) => repo.head.kind), ['worktree', 'worktree', 'worktree']);
    } finally {
      await platform.values.write({ 'web/values.yaml': original });
      await caches.remove();
    }
  });

  test('GIVEN a values file broken at head THEN that app fails at head with the error, exit 2 — never "no change"', async () => {
    const caches = await tempDir('launchpad-preview-impact-cache-');
    try {
      await markBase(platform);
      await platform.values.commit({ 'web/values.yaml': 'image: {tag: "2.0.2"\nreplicas: [\n' }, 'broken');
      const report = await runPreview(options(caches.dir));
      assert.equal(outcomeOf(report), 2);
      for (const cluster of report.clusters) {
        assert.equal(cluster.status, 'error');
        const web = cluster.applications.find((app) => app.name === 'web');
        const error = web?.errors[0];
        const message = error?.message ?? '';
        assert.equal(web?.change, 'error');
        assert.equal(error?.side, 'head');
        assert.match(message, /values\.yaml/);
      }
      assert.match(formatJson(report), /"failed": true/);
    } finally {
      await platform.values.commit({ 'web/values.yaml': 'image: {tag: "2.0.1"}\nreplicas: 2\n' }, 'fixed');
      await caches.remove();
    }
  });
});
