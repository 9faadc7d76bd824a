/**
 * A property: whatever changes between two revisions, the impact-limited preview (render cache + reuse of
 * unaffected apps) equals a full re-render with every cache disabled. fast-check generates random changes to a
 * platform of real git repositories that uses symlinks (a chart folder, a kustomize base and a values file behind
 * links), shared kustomize bases and a shared chart; each case is rendered with real helm and kustomize both ways.
 * Any difference fails with the seed and the shrunk change list.
 *
 * `npm test` runs a fixed seed and a few cases; `npm run fuzz` runs more (LAUNCHPAD_FUZZ_RUNS, LAUNCHPAD_FUZZ_SEED).
 */
import assert from 'node:assert/strict';
import { rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { formatJson, runPreview } from '../../../src/preview/index.js';
import type { PreviewOptions, PreviewReport } from '../../../src/preview/index.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { URLS, app, createFixturePlatform, helmApp, markBase } from './fixture-platform.js';
import type { FixturePlatform } from './fixture-platform.js';
import { tempDir } from './helpers.js';

const RUNS = Number(process.env.LAUNCHPAD_FUZZ_RUNS ?? '5');
const SEED = Number(process.env.LAUNCHPAD_FUZZ_SEED ?? '20261201');

let work: Awaited<ReturnType<typeof tempDir>>;
let platform: FixturePlatform;

async function relink(repo: GitFixture, path: string, target: string): Promise<void> {
  await rm(join(repo.dir, path), { force: true, recursive: true });
  await symlink(target, join(repo.dir, path));
}

before(async () => {
  work = await tempDir('launchpad-impact-property-');
  platform = await createFixturePlatform(work.dir);
  // Links on every route a render reads: a chart folder, a value file, a kustomize base.
  await relink(platform.charts, 'linked-app', 'app');
  await platform.charts.commit({}, 'linked chart');
  await relink(platform.values, 'shared.yaml', 'web/values.yaml');
  await platform.values.commit({}, 'shared values');
  await relink(platform.config, 'kustomize/shared-base', 'base');
  const linked = helmApp('linked').replace('path: app', 'path: linked-app').replace('$values/linked/values.yaml', '$values/shared.yaml');
  await platform.config.commit({
    'clusters/base/kustomization.yaml': 'resources: [web.yaml, api.yaml, shop.yaml, docs.yaml, static.yaml, linked.yaml, mirror.yaml]\n',
    'clusters/base/linked.yaml': linked,
    'clusters/base/mirror.yaml': app('mirror', `  source:\n    repoURL: ${URLS.config}\n    targetRevision: HEAD\n    path: kustomize/mirror\n`),
    'kustomize/mirror/kustomization.yaml': 'resources: [../shared-base]\nnamePrefix: mirror-\n',
  }, 'apps behind links');
});
after(() => work.remove());

type Repo = 'config' | 'charts' | 'values';

/** One change to one repository; `apply` writes it (files or links) without committing. */
interface Change {
  readonly repo: Repo;
  readonly label: string;
  apply(): Promise<void>;
}

const word = fc.constantFrom('a', 'b', 'c', 'd');
const small = fc.integer({ min: 1, max: 4 });

function write(repo: Repo, path: string, content: string, label: string): Change {
  return { repo, label, apply: () => platform[repo].write({ [path]: content }) };
}

function link(repo: Repo, path: string, target: string): Change {
  return { repo, label: `link ${path} → ${target}`, apply: () => relink(platform[repo], path, target) };
}

const deployment = (replicas: number, image: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: "nginx:${image}"}]\n`;

const service = (tier: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {tier: ${tier}}\nspec:\n  selector: {app: {{ .Release.Name }}}\n  ports: [{port: 80}]\n`;

const changeArbitrary: fc.Arbitrary<Change> = fc.oneof(
  word.map((tier) => write('charts', 'app/templates/service.yaml', service(tier), `chart template tier=${tier}`)),
  small.map((replicas) => write('charts', 'app/values.yaml', `image: {repository: nginx, tag: "1.27"}\nreplicas: ${replicas}\n`, `chart default replicas=${replicas}`)),
  word.map((tag) => write('values', 'web/values.yaml', `image: {tag: "2.0.${tag}"}\nreplicas: 2\n`, `web tag 2.0.${tag}`)),
  word.map((tag) => write('values', 'api/values.yaml', `image: {tag: "3.1.${tag}"}\n`, `api tag 3.1.${tag}`)),
  fc.constantFrom('web/values.yaml', 'api/values.yaml').map((target) => link('values', 'shared.yaml', target)),
  fc.constantFrom('app', 'app/.').map((target) => link('charts', 'linked-app', target)),
  fc.tuple(small, word).map(([replicas, image]) => write('config', 'kustomize/base/deployment.yaml', deployment(replicas, image), `kustomize base replicas=${replicas} image=${image}`)),
  word.map((motd) => write('config', 'static/configmap.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: static\ndata:\n  motd: ${motd}\n`, `static motd=${motd}`)),
  word.map((name) => write('config', `static/extra-${name}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra-${name}\n`, `static file extra-${name}`)),
  word.map((prefix) => write('config', 'kustomize/mirror/kustomization.yaml', `resources: [../shared-base]\nnamePrefix: ${prefix}-\n`, `mirror prefix ${prefix}`)),
  word.map((namespace) => write('config', 'clusters/prod/kustomization.yaml', `resources: [../base]\npatches:\n  - target: {kind: Application, name: static}\n    patch: |-\n      - op: replace\n        path: /spec/destination/namespace\n        value: static-${namespace}\n`, `prod static namespace static-${namespace}`)),
);

function options(cacheDir: string, extra: Partial<PreviewOptions> = {}): PreviewOptions {
  return {
    roots: platform.roots, cwd: platform.dir, configFile: platform.configFile, base: 'base', head: 'HEAD',
    revisions: [{ repo: URLS.charts, base: 'base', head: 'HEAD' }, { repo: URLS.values, base: 'base', head: 'HEAD' }],
    offline: true, cacheDir, ...extra,
  };
}

function comparable(report: PreviewReport): string {
  return formatJson(report).replace(/"appsUnaffected": \d+/g, '"appsUnaffected": "-"');
}

test(`impact analysis equals a full re-render on random changes (${RUNS} cases, seed ${SEED})`, async () => {
  const caches = await tempDir('launchpad-impact-property-cache-');
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(changeArbitrary, { minLength: 1, maxLength: 4 }), async (changes) => {
        await markBase(platform);
        for (const change of changes) await change.apply();
        for (const repo of new Set(changes.map((change) => change.repo))) await platform[repo].commit({}, changes.filter((change) => change.repo === repo).map((change) => change.label).join('; '));
        const limited = await runPreview(options(caches.dir));
        const full = await runPreview(options(caches.dir, { renderCache: false, impactAnalysis: false }));
        assert.equal(limited.clusters.some((cluster) => cluster.status === 'error'), false, comparable(limited));
        assert.equal(comparable(limited), comparable(full), changes.map((change) => change.label).join('; '));
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  } finally {
    await caches.remove();
  }
});
