/**
 * GIVEN a registry that wants a bearer token (as ghcr.io and Docker Hub do) — a real HTTP server on 127.0.0.1 that
 * checks the token request's basic credentials and the bearer token on the API — WHEN the watch's registry client
 * lists tags with credentials read from a docker config file, THEN it follows the challenge and gets the tags; with
 * wrong credentials it fails with a message that says so and holds no secret.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRegistryClient, credentialLookup, parseImageName, parseWatchConfig } from '../../../src/release/watch/index.js';

const USER = 'robot';
const PASSWORD = 'pa55-w0rd-xyz';
const TOKEN = 'registry-bearer-token-1';

describe('registry client with token auth', () => {
  let host: string;
  let dir: string;
  const seen: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    seen.push(`${request.method ?? ''} ${url.pathname}${url.search}`);
    if (url.pathname === '/token') {
      const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
      const ok = request.headers.authorization === expected && url.searchParams.get('scope') === 'repository:org/app:pull' && url.searchParams.get('service') === 'test-registry';
      response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { token: TOKEN } : { errors: [{ code: 'UNAUTHORIZED' }] }));
      return;
    }
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      response.writeHead(401, { 'www-authenticate': `Bearer realm="http://${host}/token",service="test-registry",scope="repository:org/app:pull"` }).end();
      return;
    }
    if (url.pathname === '/v2/org/app/tags/list' && url.searchParams.get('last') === null) {
      response.writeHead(200, { 'content-type': 'application/json', link: '</v2/org/app/tags/list?n=2&last=1.1.0>; rel="next"' }).end(JSON.stringify({ name: 'org/app', tags: ['1.0.0', '1.1.0'] }));
      return;
    }
    if (url.pathname === '/v2/org/app/tags/list') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'org/app', tags: ['2.0.0'] }));
      return;
    }
    response.writeHead(404).end();
  });

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = await mkdtemp(join(tmpdir(), 'launchpad-registry-auth-'));
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    await rm(dir, { recursive: true, force: true });
  });

  async function lookupWith(password: string): Promise<Awaited<ReturnType<typeof credentialLookup>>> {
    const file = join(dir, `docker-${password}.json`);
    await writeFile(file, JSON.stringify({ auths: { [host]: { auth: Buffer.from(`${USER}:${password}`).toString('base64') } } }));
    const config = parseWatchConfig(`repository: values\ncredentials: { dockerConfig: ${file} }\napps:\n  - { app: a, image: ${host}/org/app, policy: { semver: "*" } }\n`, join(dir, 'watch.yaml'));
    return credentialLookup(config, {});
  }

  test('GIVEN docker config credentials THEN the token is fetched and every page of tags is read', async () => {
    const image = parseImageName(`${host}/org/app`, 'test');
    const credentials = await (await lookupWith(PASSWORD))(image.credentialHost);
    assert.deepEqual(credentials, { username: USER, password: PASSWORD });
    const tags = await createRegistryClient({ image, plainHTTP: true, credentials }).listTags();
    assert.deepEqual(tags, ['1.0.0', '1.1.0', '2.0.0']);
    assert.ok(seen.some((line) => line.startsWith('GET /token?')));
  });

  test('GIVEN wrong credentials THEN a clear failure that names the registry and no secret', async () => {
    const image = parseImageName(`${host}/org/app`, 'test');
    const credentials = await (await lookupWith('wrong'))(image.credentialHost);
    await assert.rejects(createRegistryClient({ image, plainHTTP: true, ...(credentials === undefined ? {} : { credentials }) }).listTags(), (error: Error) => {
      assert.match(error.message, new RegExp(`^${host.replace(/\./g, '\\.')}/org/app: token request refused: HTTP 401 — check the registry credentials`));
      assert.ok(!error.message.includes('wrong') && !error.message.includes(PASSWORD));
      return true;
    });
  });
});
