/**
 * GIVEN the controller serving the API on a real control plane, with local accounts (admin, a readonly reader), a
 * team-scoped OIDC group, API tokens and a Secret whose value is planted, WHEN a real HTTP client logs in and calls
 * every endpoint as each role, THEN each role gets exactly what its policy allows, state-changing requests need the
 * CSRF token, actions are written as the controller runs them and audited, and the planted value never appears.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { initialAdminPassword } from '../../../src/api/auth/accounts.js';
import { createToken, revokeToken } from '../../../src/api/auth/tokens.js';
import { REFRESH_ANNOTATION } from '../../../src/controller/reconcile.js';
import { controlPlaneSkipReason, eventually } from '../../../src/testing/index.js';
import type { ApiWorld } from './fixture.js';
import { NS, PLANTED, READER_PASSWORD, auditLines, startApiWorld } from './fixture.js';
import { Browser } from './http-client.js';
import { registerCliCases } from './cli.cases.js';
import { registerPermissionCases } from './permissions.cases.js';

type Json = Record<string, unknown>;
type Summary = { name: string; project: string; sync: { status: string }; health: { status: string } };

const names = (body: unknown): string[] => ((body as { items: Summary[] }).items).map((item) => item.name);

describe('the API on a real control plane', { skip: controlPlaneSkipReason(2) }, () => {
  let world: ApiWorld;
  let admin: Browser;
  let reader: Browser;
  let adminPassword: string;

  before(async () => {
    world = await startApiWorld();
    adminPassword = (await initialAdminPassword(world.client, NS)) ?? '';
    admin = new Browser(world.url);
    reader = new Browser(world.url);
  });

  after(async () => {
    await world.stop();
  });

  test('GIVEN no credentials THEN every endpoint but the session probe answers 401, with CSP and frame-ancestors headers', async () => {
    const anonymous = new Browser(world.url);
    for (const path of ['/api/v1/applications', '/api/v1/applications/web', '/api/v1/applications/web/resource-tree', '/api/v1/projects', '/api/v1/clusters', '/api/v1/repositories', '/api/v1/stream/applications']) {
      const response = await anonymous.request('GET', path);
      assert.equal(response.status, 401, path);
      assert.match((response.json as { error: string }).error, /not logged in/);
    }
    const probe = await anonymous.session();
    assert.equal(probe.status, 200);
    assert.deepEqual((probe.json as Json).user, null);
    assert.deepEqual((probe.json as Json).oidc, { name: 'TestSSO', loginUrl: '/auth/login' });
    const csp = probe.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /default-src 'self'/);
    assert.equal(probe.headers.get('x-frame-options'), 'DENY');
    assert.equal(probe.headers.get('x-content-type-options'), 'nosniff');
  });

  test('GIVEN the generated admin password WHEN admin logs in THEN the session cookie is HttpOnly and SameSite, and a wrong password is refused and audited', async () => {
    assert.match(adminPassword, /^[A-Za-z0-9]{24}$/);
    const wrong = await new Browser(world.url).login('admin', 'not-the-password');
    assert.equal(wrong.status, 401);
    assert.ok(auditLines(world.lines).some((line) => line.fields.action === 'login' && line.fields.result === 'denied' && line.fields.user === 'admin'));
    const response = await admin.login('admin', adminPassword);
    assert.equal(response.status, 200, response.text);
    assert.deepEqual((response.json as Json).roles, ['admin', 'role:admin', 'role:readonly']);
    const cookie = admin.cookie('launchpad.session');
    assert.ok(cookie !== undefined);
    assert.match(cookie.attributes, /HttpOnly/i);
    assert.match(cookie.attributes, /SameSite=Lax/i);
    assert.ok(!JSON.stringify(world.lines).includes(adminPassword), 'the password is never logged');
    assert.equal((await reader.login('reader', READER_PASSWORD)).status, 200);
  });

  test('GIVEN admin WHEN listing with filters THEN the store answers with counts, and each filter narrows the list', async () => {
    const all = await admin.request('GET', '/api/v1/applications');
    assert.equal(all.status, 200);
    assert.deepEqual(names(all.json), ['other', 'spare', 'web']);
    assert.equal((all.json as Json).total, 3);
    assert.deepEqual(names((await admin.request('GET', '/api/v1/applications?project=team-b')).json), ['other']);
    assert.deepEqual(names((await admin.request('GET', '/api/v1/applications?labels=team%3Dweb')).json), ['spare', 'web']);
    assert.deepEqual(names((await admin.request('GET', '/api/v1/applications?labels=team%3Dweb,tier%20in%20(front)')).json), ['web']);
    assert.deepEqual(names((await admin.request('GET', '/api/v1/applications?search=SPA')).json), ['spare']);
    assert.deepEqual(names((await admin.request('GET', '/api/v1/applications?namespace=other')).json), ['other']);
    assert.deepEqual(names((await admin.request('GET', '/api/v1/applications?cluster=in-cluster')).json), []);
    assert.deepEqual(names((await admin.request('GET', '/api/v1/applications?cluster=https://kubernetes.default.svc')).json), ['other', 'spare', 'web']);
    const bad = await admin.request('GET', '/api/v1/applications?labels=%3D%3Dx');
    assert.equal(bad.status, 400);
    assert.match((bad.json as Json).error as string, /label selector/);
  });

  test('GIVEN automated apps WHEN they converge THEN sync and health filters see it', async () => {
    await eventually(async () => {
      const synced = names((await admin.request('GET', '/api/v1/applications?sync=Synced&health=Healthy')).json);
      return synced.includes('other') && synced.includes('spare') ? true : undefined;
    }, { what: 'other and spare to be Synced and Healthy', timeoutMs: 90_000, intervalMs: 300 });
    const outOfSync = await admin.request('GET', '/api/v1/applications?sync=OutOfSync');
    assert.deepEqual(names(outOfSync.json), ['web']);
    assert.deepEqual(((outOfSync.json as Json).counts as Json).sync, { OutOfSync: 1 });
  });

  test('GIVEN a cookie session WHEN a state-changing request comes without the CSRF token THEN it is refused and nothing is written', async () => {
    const response = await admin.request('POST', '/api/v1/applications/web/sync', { body: {}, csrf: false });
    assert.equal(response.status, 403);
    assert.match((response.json as Json).error as string, /CSRF/);
    assert.equal((await world.app('web')).operation, undefined);
    const forged = await admin.request('POST', '/api/v1/applications/web/sync', { body: {}, headers: { 'x-csrf-token': 'forged' }, csrf: false });
    assert.equal(forged.status, 403);
    assert.equal((await world.app('web')).operation, undefined);
  });

  test('GIVEN the readonly reader THEN it reads everything and may not sync, roll back, terminate, refresh-delete or delete; each refusal is audited', async () => {
    assert.deepEqual(names((await reader.request('GET', '/api/v1/applications')).json), ['other', 'spare', 'web']);
    assert.equal((await reader.request('GET', '/api/v1/applications/web')).status, 200);
    for (const [method, path, body] of [['POST', '/api/v1/applications/web/sync', {}], ['POST', '/api/v1/applications/web/rollback', { id: 0 }], ['POST', '/api/v1/applications/web/terminate', undefined], ['DELETE', '/api/v1/applications/web', undefined]] as const) {
      const response = await reader.request(method, path, body === undefined ? {} : { body });
      assert.equal(response.status, 403, `${method} ${path}: ${response.text}`);
      assert.match((response.json as Json).error as string, /permission denied: reader may not/);
    }
    assert.equal((await world.app('web')).operation, undefined);
    assert.ok(auditLines(world.lines).some((line) => line.fields.user === 'reader' && line.fields.action === 'sync' && line.fields.result === 'denied' && line.fields.object === 'default/web'));
  });

  test('GIVEN admin WHEN it syncs web with prune, selected resources and options THEN the operation is written as Argo CD writes it, runs, and is audited', async () => {
    const bad = await admin.request('POST', '/api/v1/applications/web/sync', { body: { resources: [{ kind: 'ConfigMap', name: 'nope' }] } });
    assert.equal(bad.status, 400);
    assert.match((bad.json as Json).error as string, /has no resource ConfigMap\/nope/);
    const response = await admin.request('POST', '/api/v1/applications/web/sync', { body: { prune: true, syncOptions: ['CreateNamespace=true'] } });
    assert.equal(response.status, 202, response.text);
    const written = (await world.app('web')).operation as Json | undefined;
    // The controller may already have taken it; then its state records the same request.
    const operation = written ?? ((await world.app('web')).status?.operationState as Json).operation as Json;
    assert.deepEqual(operation.sync, { prune: true, syncOptions: ['CreateNamespace=true'] });
    assert.deepEqual(operation.initiatedBy, { username: 'admin' });
    const busy = await admin.request('POST', '/api/v1/applications/web/sync', { body: {} });
    assert.ok([202, 409].includes(busy.status), busy.text);
    await eventually(async () => {
      const status = (await world.app('web')).status ?? {};
      return (status.operationState as Json | undefined)?.phase === 'Succeeded' && (status.sync as Json | undefined)?.status === 'Synced' && (await world.app('web')).operation === undefined ? true : undefined;
    }, { what: 'web to be synced', timeoutMs: 90_000, intervalMs: 300 });
    assert.ok(auditLines(world.lines).some((line) => line.fields.user === 'admin' && line.fields.action === 'sync' && line.fields.result === 'ok' && line.fields.object === 'default/web' && line.fields.prune === true));
  });

  test('GIVEN a synced web WHEN its tree is read THEN Deployment → ReplicaSet → Pod hang together by parentRefs', async () => {
    await eventually(async () => {
      const tree = (await admin.request('GET', '/api/v1/applications/web/resource-tree')).json as { nodes: { kind: string; name: string; parentRefs: { kind: string; name: string }[]; managed: boolean }[] };
      const replicaSet = tree.nodes.find((node) => node.kind === 'ReplicaSet');
      const pod = tree.nodes.find((node) => node.kind === 'Pod');
      if (replicaSet === undefined || pod === undefined) return undefined;
      assert.deepEqual(replicaSet.parentRefs.map((ref) => `${ref.kind}/${ref.name}`), ['Deployment/web']);
      assert.deepEqual(pod.parentRefs.map((ref) => `${ref.kind}/${ref.name}`), [`ReplicaSet/${replicaSet.name}`]);
      assert.deepEqual(tree.nodes.filter((node) => node.managed).map((node) => `${node.kind}/${node.name}`).sort(), ['ConfigMap/web-config', 'Deployment/web', 'Secret/web-secret']);
      return true;
    }, { what: 'the ReplicaSet and Pod of web', timeoutMs: 60_000, intervalMs: 500 });
  });

  test('GIVEN the planted Secret value WHEN every read endpoint is called THEN it appears in none of them, neither as text nor base64', async () => {
    const encoded = Buffer.from(PLANTED).toString('base64');
    const paths = ['/api/v1/applications', '/api/v1/applications/web', '/api/v1/applications/web/resource-tree', '/api/v1/applications/web/managed-resources',
      '/api/v1/applications/web/manifests?source=desired', '/api/v1/applications/web/manifests?source=live', '/api/v1/applications/web/diff',
      '/api/v1/applications/web/events', '/api/v1/applications/web/history', '/api/v1/projects', '/api/v1/clusters', '/api/v1/repositories', '/api/v1/session', '/api/v1/openapi.json'];
    for (const path of paths) {
      const response = await admin.request('GET', path);
      assert.equal(response.status, 200, `${path}: ${response.text}`);
      assert.ok(!response.text.includes(PLANTED) && !response.text.includes(encoded), `${path} leaks the Secret value`);
    }
    const desired = (await admin.request('GET', '/api/v1/applications/web/manifests?source=desired')).json as { items: Json[] };
    const secret = desired.items.find((item) => item.kind === 'Secret');
    assert.deepEqual(secret?.stringData ?? secret?.data, { password: '<hidden>' });
    const live = (await admin.request('GET', '/api/v1/applications/web/manifests?source=live')).json as { items: Json[] };
    assert.deepEqual(live.items.find((item) => item.kind === 'Secret')?.data, { password: '<hidden>' });
    const managed = (await admin.request('GET', '/api/v1/applications/web/managed-resources')).json as { items: { kind: string; live: Json | null; status: string }[] };
    assert.deepEqual(managed.items.map((item) => `${item.kind}:${item.status}:${item.live === null ? 'missing' : 'live'}`).sort(), ['ConfigMap:Synced:live', 'Deployment:Synced:live', 'Secret:Synced:live']);
  });

  test('GIVEN live drift WHEN the diff is read THEN it shows the change (Secret keys only), and events and history are there', async () => {
    await world.client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'web' }, data: { greeting: 'tampered' } }, { fieldManager: 'kubectl-edit' });
    const diff = (await admin.request('GET', '/api/v1/applications/web/diff')).json as { items: { kind: string; status: string; diff: string }[] };
    const config = diff.items.find((item) => item.kind === 'ConfigMap');
    assert.equal(config?.status, 'out-of-sync');
    assert.match(config.diff, /-\s+greeting: tampered/);
    assert.match(config.diff, /\+\s+greeting: hello/);
    const history = (await admin.request('GET', '/api/v1/applications/web/history')).json as { items: { id: number; revision: string }[] };
    const [first] = history.items;
    assert.equal(first?.id, 0);
    assert.equal(first.revision, await world.repo.revParse());
    const events = (await admin.request('GET', '/api/v1/applications/web/events')).json as { items: { reason: string; involvedObject: { kind: string } }[] };
    assert.ok(events.items.some((event) => event.involvedObject.kind === 'Application'), JSON.stringify(events.items.slice(0, 3)));
  });

  test('GIVEN admin WHEN it refreshes (hard), rolls back and terminates THEN the annotation and operation are written, and terminate with nothing running is a 409', async () => {
    const refresh = await admin.request('POST', '/api/v1/applications/web/refresh', { body: { type: 'hard' } });
    assert.equal(refresh.status, 202, refresh.text);
    await eventually(async () => ((await world.app('web')).metadata.annotations?.[REFRESH_ANNOTATION] === undefined ? true : undefined), { what: 'the controller to take the hard refresh', timeoutMs: 30_000, intervalMs: 200 });
    const missing = await admin.request('POST', '/api/v1/applications/web/rollback', { body: { id: 7 } });
    assert.equal(missing.status, 404);
    assert.match((missing.json as Json).error as string, /no history entry 7/);
    const automated = await admin.request('POST', '/api/v1/applications/spare/rollback', { body: { id: 0 } });
    assert.equal(automated.status, 409);
    const rollback = await admin.request('POST', '/api/v1/applications/web/rollback', { body: { id: 0, dryRun: true } });
    assert.equal(rollback.status, 202, rollback.text);
    await eventually(async () => {
      const state = ((await world.app('web')).status?.operationState ?? {}) as Json;
      return (state.operation as Json | undefined)?.sync !== undefined && ((state.operation as Json).sync as Json).dryRun === true && state.phase !== 'Running' ? state : undefined;
    }, { what: 'the rollback to run', timeoutMs: 60_000, intervalMs: 300 });
    const terminate = await admin.request('POST', '/api/v1/applications/web/terminate');
    assert.equal(terminate.status, 409);
    assert.match((terminate.json as Json).error as string, /no operation is running/);
  });

  test('GIVEN an API token WHEN it is used THEN it acts as its account without CSRF; expired and revoked tokens are refused', async () => {
    const made = await createToken(world.client, NS, { account: 'reader', description: 'test', createdBy: 'test' });
    const bearer = { authorization: `Bearer ${made.token}` };
    const anonymous = new Browser(world.url);
    assert.equal((await anonymous.request('GET', '/api/v1/applications', { headers: bearer })).status, 200);
    assert.equal((await anonymous.request('POST', '/api/v1/applications/web/sync', { headers: bearer, body: {} })).status, 403, 'reader RBAC, not CSRF');
    const short = await createToken(world.client, NS, { account: 'admin', description: 'short', createdBy: 'test', expiresInMs: 1_500 });
    assert.equal((await anonymous.request('GET', '/api/v1/applications', { headers: { authorization: `Bearer ${short.token}` } })).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    assert.equal((await anonymous.request('GET', '/api/v1/applications', { headers: { authorization: `Bearer ${short.token}` } })).status, 401);
    await revokeToken(world.client, NS, made.record.id);
    await eventually(async () => ((await anonymous.request('GET', '/api/v1/applications', { headers: bearer })).status === 401 ? true : undefined), { what: 'the revoked token to stop working', timeoutMs: 5_000, intervalMs: 100 });
    const ci = await createToken(world.client, NS, { account: 'ci', description: 'ci', createdBy: 'test' });
    const ciList = await anonymous.request('GET', '/api/v1/applications', { headers: { authorization: `Bearer ${ci.token}` } });
    assert.equal(ciList.status, 200);
    assert.deepEqual(names(ciList.json), [], 'ci has no role and there is no policy.default');
    assert.equal((await anonymous.request('GET', '/api/v1/applications', { headers: { authorization: `Bearer ${made.token.slice(0, -1)}x` } })).status, 401);
  });

  test('GIVEN the CLI WHEN `launchpad admin password` and `admin token create/list/revoke` run THEN the password matches and the token works until revoked', async () => {
    const cli = (...args: string[]): { status: number | null; stdout: string; stderr: string } => {
      const result = spawnSync(process.execPath, [join(process.cwd(), 'bin', 'launchpad.js'), 'admin', ...args, '--kubeconfig', world.plane.kubeconfigPath], { encoding: 'utf8' });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    assert.equal(cli('password').stdout.trim(), adminPassword);
    const created = cli('token', 'create', '--account', 'reader', '--expires-in', '1h', '--description', 'from the cli');
    assert.equal(created.status, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^lpt_[0-9a-f]{16}_/);
    assert.match(created.stderr, /not shown again/);
    const id = token.slice(4, 20);
    const listed = cli('token', 'list');
    assert.match(listed.stdout, new RegExp(`${id}\\s+reader`));
    assert.ok(!listed.stdout.includes(token.slice(21)), 'list never shows the secret part');
    const anonymous = new Browser(world.url);
    assert.equal((await anonymous.request('GET', '/api/v1/applications', { headers: { authorization: `Bearer ${token}` } })).status, 200);
    assert.equal(cli('token', 'revoke', id).status, 0);
    await eventually(async () => ((await anonymous.request('GET', '/api/v1/applications', { headers: { authorization: `Bearer ${token}` } })).status === 401 ? true : undefined), { what: 'the revoked token to stop working', timeoutMs: 5_000, intervalMs: 100 });
    const unknown = cli('token', 'revoke', 'ffffffffffffffff');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no API token with id ffffffffffffffff/);
  });

  test('GIVEN the OIDC provider WHEN a team-b developer logs in THEN the group maps to its role: team-b apps only, sync allowed there only', async () => {
    const dev = new Browser(world.url);
    const hops = await dev.follow('/auth/login?return_url=/applications/other');
    // The last hop of the flow is the API's callback sending the browser back where it started.
    const back = hops.find((hop) => hop.headers.get('location') === '/applications/other');
    assert.equal(back?.status, 303, hops.map((hop) => `${hop.status} ${hop.headers.get('location') ?? ''} ${hop.text.slice(0, 200)}`).join('\n'));
    await dev.session();
    const probe = (await dev.request('GET', '/api/v1/session')).json as { user: { name: string; via: string; groups: string[] } };
    assert.deepEqual({ name: probe.user.name, via: probe.user.via }, { name: 'dev@example.com', via: 'oidc' });
    assert.deepEqual(probe.user.groups, ['team-b-devs', 'dev@example.com']);
    assert.deepEqual(names((await dev.request('GET', '/api/v1/applications')).json), ['other']);
    assert.equal((await dev.request('GET', '/api/v1/applications/web')).status, 403);
    assert.equal((await dev.request('GET', '/api/v1/applications/does-not-exist')).status, 403, 'a name outside its projects is not revealed');
    assert.equal((await dev.request('POST', '/api/v1/applications/web/sync', { body: {} })).status, 403);
    assert.equal((await dev.request('POST', '/api/v1/applications/other/sync', { body: { dryRun: true } })).status, 202);
    assert.ok(auditLines(world.lines).some((line) => line.fields.action === 'login.oidc' && line.fields.user === 'dev@example.com' && line.fields.result === 'ok'));
    const tampered = new Browser(world.url);
    const callback = await tampered.request('GET', '/auth/callback?code=forged&state=forged');
    assert.equal(callback.status, 400);
  });

  test('GIVEN event streams WHEN applications change THEN each caller gets only the changes of applications it may read', async () => {
    const openStream = async (browser: Browser): Promise<{ events: Json[]; close: () => void }> => {
      const abort = new AbortController();
      const cookies = [...(browser.jar.get(new URL(world.url).origin)?.entries() ?? [])].map(([name, cookie]) => `${name}=${cookie.value}`).join('; ');
      const response = await fetch(`${world.url}/api/v1/stream/applications`, { headers: { cookie: cookies }, signal: abort.signal });
      assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      const events: Json[] = [];
      const reader = response.body?.getReader();
      void (async () => {
        let buffer = '';
        for (;;) {
          const chunk = await reader?.read().catch(() => undefined);
          if (chunk === undefined || chunk.done) return;
          buffer += Buffer.from(chunk.value).toString('utf8');
          for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
            const data = buffer.slice(0, end).split('\n').find((line) => line.startsWith('data: '));
            if (data !== undefined) events.push(JSON.parse(data.slice(6)) as Json);
            buffer = buffer.slice(end + 2);
          }
        }
      })();
      return { events, close: () => { abort.abort(); } };
    };
    const dev = new Browser(world.url);
    await dev.follow('/auth/login');
    const adminStream = await openStream(admin);
    const devStream = await openStream(dev);
    try {
      await world.client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name: 'web' }, { metadata: { labels: { touched: '1' } } });
      await world.client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name: 'other' }, { metadata: { labels: { touched: '1' } } });
      const appName = (event: Json): string => (event.application as { name: string }).name;
      await eventually(() => Promise.resolve(adminStream.events.some((event) => appName(event) === 'web') && devStream.events.some((event) => appName(event) === 'other') ? true : undefined), { what: 'both streams to see their change', timeoutMs: 10_000, intervalMs: 100 });
      assert.ok(!devStream.events.some((event) => appName(event) === 'web'), 'team-b never sees web');
      assert.ok(!JSON.stringify(adminStream.events).includes(PLANTED));
    } finally {
      adminStream.close();
      devStream.close();
    }
  });

  test('GIVEN the OpenAPI document THEN it describes every endpoint the UI uses', async () => {
    const document = (await new Browser(world.url).request('GET', '/api/v1/openapi.json')).json as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.equal(document.openapi, '3.1.0');
    for (const path of ['/api/v1/applications', '/api/v1/applications/{name}', '/api/v1/applications/{name}/resource-tree', '/api/v1/applications/{name}/managed-resources', '/api/v1/applications/{name}/manifests', '/api/v1/applications/{name}/diff', '/api/v1/applications/{name}/events', '/api/v1/applications/{name}/history', '/api/v1/applications/{name}/sync', '/api/v1/applications/{name}/refresh', '/api/v1/applications/{name}/rollback', '/api/v1/applications/{name}/terminate', '/api/v1/projects', '/api/v1/clusters', '/api/v1/repositories', '/api/v1/session', '/api/v1/stream/applications', '/api/v1/applications/{name}/resource', '/api/v1/account/can-i/{resource}/{action}/{subresource}']) {
      assert.ok(document.paths[path] !== undefined, `${path} is documented`);
    }
    assert.ok(document.paths['/api/v1/applications/{name}']?.delete !== undefined);
    const get = JSON.stringify(document.paths['/api/v1/applications/{name}']);
    assert.ok(get.includes('"required":["sync","rollback","refresh","terminate","delete","override"]'), 'the application response documents permissions');
  });

  registerPermissionCases(() => world);
  registerCliCases(() => world);

  test('GIVEN admin WHEN it deletes with cascade orphan THEN the finalizer is not set and the resources stay', async () => {
    const response = await admin.request('DELETE', '/api/v1/applications/spare?cascade=orphan');
    assert.equal(response.status, 202, response.text);
    await eventually(async () => ((await world.app('spare') as unknown) === undefined ? true : undefined), { what: 'spare to be gone', timeoutMs: 30_000, intervalMs: 200 });
    assert.ok((await world.client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'spare', name: 'spare-config' })) !== undefined, 'orphaned resources stay');
    assert.ok(auditLines(world.lines).some((line) => line.fields.action === 'delete' && line.fields.cascade === 'orphan' && line.fields.result === 'ok'));
  });

  test('GIVEN repeated logins from one address THEN the rate limit answers 429 before the password is even checked', async () => {
    const browser = new Browser(world.url);
    await browser.session();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 32; attempt += 1) statuses.push((await browser.request('POST', '/api/v1/session', { body: { username: 'admin', password: `guess-${attempt}` } })).status);
    assert.ok(statuses.includes(429), statuses.join(','));
    const refused = await browser.request('POST', '/api/v1/session', { body: { username: 'admin', password: adminPassword } });
    assert.equal(refused.status, 429, 'even the right password waits');
    assert.match((refused.json as Json).error as string, /too many login attempts/);
  });
});
