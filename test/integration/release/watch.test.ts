/**
 * GIVEN a real OCI registry (CNCF distribution, built by scripts/install-registry.sh) on 127.0.0.1 and the example
 * values repository as a bare remote, WHEN images are pushed and `launchpad release watch --once` polls, THEN the
 * tag each app's policy picks is released through set-image's path — once per tag, never backwards, never `latest`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findRegistryBinary, startOciRegistry } from '../source/oci-registry.js';
import type { OciRegistry } from '../source/oci-registry.js';
import { git, repoRoot, valuesRemote } from './helpers.js';
import type { ValuesRemote } from './helpers.js';

const registryBinary = findRegistryBinary();
const skip = registryBinary === undefined && process.env.CI !== 'true' ? 'no OCI registry: run scripts/install-registry.sh' : false;

function digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

async function uploadBlob(base: string, repository: string, bytes: Buffer): Promise<string> {
  const start = await fetch(`${base}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  assert.equal(start.status, 202);
  const location = new URL(start.headers.get('location') ?? '', base);
  location.searchParams.set('digest', digest(bytes));
  const put = await fetch(location, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(put.status, 201, await put.text());
  return digest(bytes);
}

/** Pushes an image manifest (no layers) whose config says it was built at `created`, under `tag`. */
async function pushImage(host: string, repository: string, tag: string, created: string): Promise<void> {
  const base = `http://${host}`;
  const config = Buffer.from(JSON.stringify({ created, architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} }));
  const configDigest = await uploadBlob(base, repository, config);
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length }, layers: [] });
  const put = await fetch(`${base}/v2/${repository}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
  assert.equal(put.status, 201, await put.text());
}

interface PollResult {
  readonly code: number;
  readonly apps: { app: string; outcome: string; tag?: string; message: string }[];
  readonly stderr: string;
}

describe('release watch against a local OCI registry', { skip }, () => {
  let registry: OciRegistry;
  let values: ValuesRemote;
  let watchFile: string;
  let stateFile: string;

  const poll = (): PollResult => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'bin/launchpad.js'), 'release', 'watch', '--config', watchFile, '--once', '--state', stateFile, '-o', 'json'], { encoding: 'utf8', timeout: 120_000 });
    const line = result.stdout.trim().split('\n').pop() ?? '{}';
    return { code: result.status ?? -1, apps: (JSON.parse(line) as { apps?: PollResult['apps'] }).apps ?? [], stderr: result.stderr };
  };
  const outcome = (result: PollResult, app: string): string => {
    const found = result.apps.find((entry) => entry.app === app);
    return `${found?.outcome ?? 'missing'} ${found?.tag ?? ''}`.trim();
  };

  before(async () => {
    values = await valuesRemote();
    registry = await startOciRegistry(registryBinary ?? 'registry', join(values.dir, 'registry'));
    for (const [tag, created] of [['2.0.4', '2025-01-01T00:00:00Z'], ['2.0.5', '2025-01-02T00:00:00Z'], ['2.1.0-rc.1', '2025-01-03T00:00:00Z'], ['latest', '2025-01-04T00:00:00Z']] as const) {
      await pushImage(registry.host, 'fortedigital/10x', tag, created);
    }
    for (const [tag, created] of [['build-1', '2025-01-01T00:00:00Z'], ['build-3', '2025-02-01T00:00:00Z'], ['build-2', '2025-03-01T00:00:00Z'], ['latest', '2025-04-01T00:00:00Z']] as const) {
      await pushImage(registry.host, 'fortedigital/musicman', tag, created);
    }
    watchFile = join(values.dir, 'release-watch.yaml');
    stateFile = join(values.dir, 'state', 'watch.json');
    await writeFile(watchFile, [
      'repository: remote.git',
      'author: Launchpad Watch <watch@launchpad.invalid>',
      `plainHTTP: ["${registry.host}"]`,
      'apps:',
      '  - app: mcp10x',
      `    image: ${registry.host}/fortedigital/10x`,
      '    policy: { semver: ">=2.0.0" }',
      '  - app: musicman',
      `    image: ${registry.host}/fortedigital/musicman`,
      '    policy: { newest: "^build-" }',
      '',
    ].join('\n'));
  });
  after(async () => {
    await registry.close();
    await values.remove();
  });

  test('GIVEN tags in the registry THEN each app gets its policy\'s tag (semver skips the rc and latest; newest by build time)', () => {
    const result = poll();
    assert.equal(result.code, 0, `${result.stderr} ${JSON.stringify(result.apps)}`);
    assert.equal(outcome(result, 'mcp10x'), 'released 2.0.5');
    assert.equal(outcome(result, 'musicman'), 'released build-2');
    assert.match(values.show('mcp10x/values.yaml'), /tag: 2\.0\.5 # Updated by CI\/CD/);
    assert.match(values.show('musicman/values.yaml'), /tag: build-2 # Updated by CI\/CD/);
    assert.match(git(values.remote, 'log', '-2', '--format=%an %s', 'main'), /Launchpad Watch release: (mcp10x 2\.0\.4 → 2\.0\.5|musicman 1\.7\.2 → build-2)/);
  });

  test('GIVEN nothing new THEN the next poll releases nothing (exit 1) and adds no commit', () => {
    const head = git(values.remote, 'rev-parse', 'main');
    const result = poll();
    assert.equal(result.code, 1, `${result.stderr} ${JSON.stringify(result.apps)}`);
    assert.deepEqual(result.apps.map((app) => app.outcome), ['handled', 'handled']);
    assert.equal(git(values.remote, 'rev-parse', 'main'), head);
  });

  test('GIVEN a new version is pushed THEN it is released; a hand revert afterwards is not undone again (at most once per tag)', async () => {
    await pushImage(registry.host, 'fortedigital/10x', '2.1.0', '2025-01-05T00:00:00Z');
    assert.equal(outcome(poll(), 'mcp10x'), 'released 2.1.0');
    assert.match(values.show('mcp10x/values.yaml'), /tag: 2\.1\.0 #/);
    // An operator rolls back by hand; the watch must not push 2.1.0 again.
    const clone = await values.clone('operator');
    const file = join(clone, 'mcp10x/values.yaml');
    git(clone, 'show', 'HEAD:mcp10x/values.yaml');
    await writeFile(file, values.show('mcp10x/values.yaml').replace('tag: 2.1.0', 'tag: 2.0.5') + '\n');
    git(clone, 'commit', '-qam', 'roll back mcp10x');
    git(clone, 'push', '-q', 'origin', 'main');
    assert.equal(outcome(poll(), 'mcp10x'), 'handled 2.1.0');
    assert.match(values.show('mcp10x/values.yaml'), /tag: 2\.0\.5 #/);
  });
});
