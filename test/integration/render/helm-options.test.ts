/**
 * GIVEN charts in real git repositories and a real chart repository on 127.0.0.1, WHEN Applications set Argo CD's
 * helm source options, THEN the real helm renders what Argo CD renders: skipCrds, skipSchemaValidation, skipTests,
 * namespace, fileParameters, ignoreMissingValueFiles, passCredentials, and `lookup` answering nothing.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { HelmSource } from '../../../src/model/application.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { findBinary } from '../../../src/process/binaries.js';
import { runProcess } from '../../../src/process/run.js';
import { renderApplication } from '../../../src/render/app.js';
import { CredentialStore, createSourceResolver } from '../../../src/source/index.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { packageChart } from '../source/helm-repo-server.js';
import { application, createSandbox, find } from './helpers.js';
import type { Sandbox } from './helpers.js';

const CHART = {
  'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'app/values.yaml': 'replicas: 1\nbanner: none\n',
  'app/values.schema.json': JSON.stringify({ type: 'object', properties: { replicas: { type: 'integer', minimum: 1 } } }),
  'app/crds/widget.yaml': [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata: {name: widgets.example.com}',
    'spec:',
    '  group: example.com',
    '  scope: Namespaced',
    '  names: {plural: widgets, singular: widget, kind: Widget}',
    '  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]',
    '',
  ].join('\n'),
  'app/templates/cm.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: settings',
    'data:',
    '  namespace: {{ .Release.Namespace | quote }}',
    '  replicas: {{ .Values.replicas | quote }}',
    '  banner: {{ .Values.banner | quote }}',
    // helm template has no cluster: lookup answers an empty map, so charts take their "not found" branch.
    '  {{- $existing := lookup "v1" "Secret" .Release.Namespace "generated-password" }}',
    '  password: {{ if $existing }}{{ index $existing.data "password" | quote }}{{ else }}"generated"{{ end }}',
    '  lookedUp: {{ len (lookup "v1" "Namespace" "" "") | quote }}',
    '',
  ].join('\n'),
  'app/templates/tests/test-connection.yaml': [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: test-connection',
    '  annotations: {"helm.sh/hook": test}',
    'spec: {containers: [{name: t, image: busybox}]}',
    '',
  ].join('\n'),
  'app/files/banner.txt': 'Welcome, from a file\n',
  'shared/motd.txt': 'from the repository root\n',
};

let sandbox: Sandbox;
let repo: GitFixture;
let values: GitFixture;

before(async () => {
  sandbox = await createSandbox();
  repo = await createGitRepo({ files: CHART });
  values = await createGitRepo({ files: { 'texts/banner.txt': 'from the values repository\n' } });
});

after(async () => {
  await Promise.all([sandbox.cleanup(), repo.remove(), values.remove()]);
});

async function render(helm: HelmSource | undefined, namespace = 'shop'): Promise<{ status: string; message: string; resources: KubeObject[] }> {
  const app = application('demo', [
    { repoURL: repo.url, path: 'app', ...(helm === undefined ? {} : { helm }) },
    { repoURL: values.url, ref: 'values' },
  ], namespace);
  return renderApplication(app, { resolver: sandbox.resolver, offline: false });
}

async function settings(helm: HelmSource | undefined, namespace = 'shop'): Promise<Record<string, string>> {
  const result = await render(helm, namespace);
  assert.equal(result.status, 'ok', result.message);
  return find(result.resources, 'ConfigMap', 'settings').data as Record<string, string>;
}

const kinds = (objects: readonly KubeObject[]): string[] => objects.map((object) => `${object.kind}/${object.metadata.name ?? ''}`).sort();

test('CRDs in crds/ are rendered (--include-crds) unless skipCrds', async () => {
  const withCrds = await render(undefined);
  assert.equal(withCrds.status, 'ok', withCrds.message);
  assert.ok(kinds(withCrds.resources).includes('CustomResourceDefinition/widgets.example.com'));
  const skipped = await render({ skipCrds: true });
  assert.equal(skipped.status, 'ok', skipped.message);
  assert.ok(!kinds(skipped.resources).includes('CustomResourceDefinition/widgets.example.com'));
});

test('values.schema.json is enforced unless skipSchemaValidation', async () => {
  const invalid = await render({ parameters: [{ name: 'replicas', value: '0' }] });
  assert.equal(invalid.status, 'error');
  assert.match(invalid.message, /replicas/);
  assert.match(invalid.message, /minimum|greater|>= 1/i);
  assert.equal((await settings({ parameters: [{ name: 'replicas', value: '0' }], skipSchemaValidation: true })).replicas, '0');
});

test('test hooks are rendered unless skipTests (--skip-tests)', async () => {
  assert.ok(kinds((await render(undefined)).resources).includes('Pod/test-connection'));
  assert.ok(!kinds((await render({ skipTests: true })).resources).includes('Pod/test-connection'));
});

test('.Release.Namespace is helm.namespace when set, else the destination namespace (an empty one is unset)', async () => {
  assert.equal((await settings(undefined)).namespace, 'shop');
  assert.equal((await settings({ namespace: 'payments' })).namespace, 'payments');
  assert.equal((await settings({ namespace: '' })).namespace, 'shop');
});

test('fileParameters set a value to a file\'s content: relative to the chart, /… from the repository root, $ref/…', async () => {
  assert.equal((await settings({ fileParameters: [{ name: 'banner', path: 'files/banner.txt' }] })).banner, 'Welcome, from a file\n');
  assert.equal((await settings({ fileParameters: [{ name: 'banner', path: '/shared/motd.txt' }] })).banner, 'from the repository root\n');
  assert.equal((await settings({ fileParameters: [{ name: 'banner', path: '$values/texts/banner.txt' }] })).banner, 'from the values repository\n');
  // --set-file wins over --set and over values files, as helm orders them.
  assert.equal((await settings({ parameters: [{ name: 'banner', value: 'set' }], values: 'banner: inline\n', fileParameters: [{ name: 'banner', path: 'files/banner.txt' }] })).banner, 'Welcome, from a file\n');
  const missing = await render({ fileParameters: [{ name: 'banner', path: 'files/absent.txt' }] });
  assert.equal(missing.status, 'error');
  assert.match(missing.message, /file "files\/absent\.txt" of fileParameters "banner" not found in .* @ [0-9a-f]{7}/);
  const outside = await render({ fileParameters: [{ name: 'banner', path: '../../etc/passwd' }] });
  assert.equal(outside.status, 'error');
  assert.match(outside.message, /resolves outside its repository/);
});

test('ignoreMissingValueFiles skips value files that do not exist, and only those', async () => {
  const missing = await render({ valueFiles: ['absent.yaml'] });
  assert.equal(missing.status, 'error');
  assert.match(missing.message, /values file "absent\.yaml" not found in .* @ [0-9a-f]{7}/);
  assert.equal((await settings({ valueFiles: ['absent.yaml', '$values/none/*.yaml'], ignoreMissingValueFiles: true, values: 'banner: still-read\n' })).banner, 'still-read');
});

test('lookup renders as in Argo CD: empty, so charts take their "nothing there" branch', async () => {
  const data = await settings(undefined);
  assert.equal(data.password, 'generated');
  assert.equal(data.lookedUp, '0');
});

describe('passCredentials: a chart repository whose index points to another host', () => {
  const USER = 'chart-reader';
  const PASSWORD = 'p4ss-for-charts-only';
  let work: string;
  let index: Server;
  let downloads: Server;
  const seen: string[] = [];
  let indexURL: string;

  const serve = async (dir: string, name: string): Promise<{ server: Server; url: string }> => {
    const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    const server = createServer((request, response) => {
      seen.push(`${name} ${request.url ?? ''} ${request.headers.authorization === expected ? 'with credentials' : 'without credentials'}`);
      if (request.headers.authorization !== expected) {
        response.writeHead(401, { 'www-authenticate': 'Basic realm="charts"' }).end();
        return;
      }
      readFile(join(dir, basename(new URL(request.url ?? '/', 'http://x').pathname))).then(
        (body) => response.writeHead(200).end(body),
        () => response.writeHead(404).end('not found'),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'launchpad-pass-credentials-'));
    const packages = join(work, 'packages');
    await mkdir(packages);
    await packageChart(join(work, 'build'), packages, { name: 'remote', version: '1.2.3' });
    ({ server: downloads } = await serve(packages, 'downloads'));
    const downloadsURL = `http://127.0.0.1:${(downloads.address() as AddressInfo).port}`;
    // index.yaml sends chart downloads to the other server (another port is another host to helm).
    await runProcess(findBinary('helm'), ['repo', 'index', packages, '--url', downloadsURL]);
    let indexServer: Server;
    ({ server: indexServer, url: indexURL } = await serve(packages, 'index'));
    index = indexServer;
  });

  after(async () => {
    for (const server of [index, downloads]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await rm(work, { recursive: true, force: true });
  });

  const renderRemote = async (passCredentials: boolean, cacheName: string) => {
    const secret: KubeObject = {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'charts', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'repository' } },
      data: Object.fromEntries(Object.entries({ url: indexURL, type: 'helm', username: USER, password: PASSWORD }).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
    };
    const resolver = createSourceResolver({ cacheDir: join(work, cacheName), credentials: new CredentialStore([secret]) });
    const app = application('remote', [{ repoURL: indexURL, chart: 'remote', targetRevision: '1.2.3', helm: { passCredentials } }]);
    return renderApplication(app, { resolver, offline: false });
  };

  test('without it helm keeps the credentials to the repository\'s host and the download is refused', async () => {
    seen.length = 0;
    const result = await renderRemote(false, 'without');
    assert.equal(result.status, 'error');
    assert.match(result.message, /could not pull chart "remote" version "1\.2\.3"/);
    assert.ok(seen.includes('index /index.yaml with credentials'), seen.join('\n'));
    assert.ok(seen.some((line) => line.startsWith('downloads /remote-1.2.3.tgz without credentials')), seen.join('\n'));
    assert.doesNotMatch(result.message, new RegExp(PASSWORD));
  });

  test('with it the credentials go to the download host too, and the chart renders', async () => {
    seen.length = 0;
    const result = await renderRemote(true, 'with');
    assert.equal(result.status, 'ok', result.message);
    assert.deepEqual(find(result.resources, 'ConfigMap', 'remote').data, { version: '1.2.3' });
    assert.ok(seen.some((line) => line.startsWith('downloads /remote-1.2.3.tgz with credentials')), seen.join('\n'));
  });
});
