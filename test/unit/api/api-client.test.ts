/**
 * GIVEN the CLI's API client and a real HTTP server on 127.0.0.1 that checks what it receives WHEN it requests and
 * streams THEN the token is sent as a bearer token, refusals keep the API's message and fix (401 says how to pass a
 * token), events split across chunks arrive whole, and a bad --server is a usage error naming it.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { ApiClient, ApiRequestError, apiClientFor } from '../../../src/cli/api-client.js';

describe('the CLI\'s API client', () => {
  let server: Server;
  let url = '';
  const seen: { method: string; path: string; authorization: string; body: string }[] = [];

  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => { body += chunk.toString('utf8'); });
      request.on('end', () => {
        seen.push({ method: request.method ?? '', path: request.url ?? '', authorization: request.headers.authorization ?? '', body });
        if (request.headers.authorization !== 'Bearer lpt_good') {
          response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not logged in' }));
        } else if (request.url === '/api/v1/applications/web/sync') {
          response.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'permission denied: ci may not sync applications default/web', fix: 'ask an administrator' }));
        } else if (request.url?.startsWith('/api/v1/stream/') === true) {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          response.write(': connected\n\n');
          response.write('event: application\ndata: {"type":"MODIFIED",');
          setTimeout(() => { response.end('"application":{"name":"web"}}\n\nevent: application\ndata: not json\n\n'); }, 20);
        } else {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [{ name: 'web' }] }));
        }
      });
    });
    await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });

  after(async () => {
    await new Promise((resolve) => { server.close(resolve); });
  });

  test('GIVEN a token THEN it is sent as a bearer token and the JSON answer returned', async () => {
    const api = new ApiClient({ server: url, token: 'lpt_good' });
    assert.deepEqual(await api.json('GET', '/api/v1/applications'), { items: [{ name: 'web' }] });
    assert.equal(seen.at(-1)?.authorization, 'Bearer lpt_good');
  });

  test('GIVEN a refusal THEN the API\'s message and fix are kept; without credentials the fix says how to pass a token', async () => {
    const api = new ApiClient({ server: url, token: 'lpt_good' });
    await assert.rejects(api.json('POST', '/api/v1/applications/web/sync', { prune: true }), (error: unknown) => {
      assert.ok(error instanceof ApiRequestError);
      assert.equal(error.status, 403);
      assert.equal(error.message, 'permission denied: ci may not sync applications default/web — ask an administrator');
      assert.equal(error.detail, 'permission denied: ci may not sync applications default/web');
      assert.equal(error.fix, 'ask an administrator');
      return true;
    });
    assert.equal(seen.at(-1)?.body, '{"prune":true}');
    await assert.rejects(apiClientFor({ server: url }).json('GET', '/api/v1/applications'), (error: unknown) => {
      assert.ok(error instanceof ApiRequestError);
      assert.equal(error.status, 401);
      assert.match(error.message, /the API refused the credentials: not logged in/);
      assert.match(error.fix ?? '', /--auth-token or LAUNCHPAD_AUTH_TOKEN/);
      return true;
    });
  });

  test('GIVEN an event stream THEN each event arrives whole and parsed, and what is not JSON is skipped', async () => {
    const events: unknown[] = [];
    let opened = false;
    await new ApiClient({ server: url, token: 'lpt_good' }).stream('/api/v1/stream/applications', { onOpen: () => { opened = true; }, onEvent: (event, data) => { events.push({ event, data }); } }, new AbortController().signal);
    assert.equal(opened, true);
    assert.deepEqual(events, [{ event: 'application', data: { type: 'MODIFIED', application: { name: 'web' } } }]);
  });

  test('GIVEN a bad --server or nothing listening THEN the error names it and says what to check', async () => {
    assert.throws(() => new ApiClient({ server: 'not a url' }), /--server not a url is not a URL/);
    assert.throws(() => new ApiClient({ server: 'ftp://example.com' }), /expected an http:\/\/ or https:\/\/ URL/);
    await assert.rejects(new ApiClient({ server: 'http://127.0.0.1:9' }).json('GET', '/api/v1/applications'), /cannot reach the Launchpad API at http:\/\/127\.0\.0\.1:9: ECONNREFUSED/);
  });
});
