/**
 * Launchpad's own kubeconfig model: parsing (field paths in errors, never values), relative paths, kubectl's merge of
 * a KUBECONFIG list, exec plugins run as real processes (cached until expiry, failures without credentials), token
 * files re-read once a minute, and refusals of what Launchpad does not support. No cluster needed.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { stringify } from 'yaml';
import { KubeconfigError } from '../../../src/errors.js';
import { loadKubeconfig, readKubeconfigFile } from '../../../src/kube/kubeconfig.js';
import type { LoadKubeconfigOptions } from '../../../src/kube/kubeconfig.js';
import { Credentials, FILE_REFRESH_MS } from '../../../src/kube/kubeconfig-credentials.js';
import { KubeConfig, parseKubeconfig } from '../../../src/kube/kubeconfig-model.js';
import type { User } from '../../../src/kube/kubeconfig-model.js';
import { Transport, TransportError } from '../../../src/kube/transport.js';
import { isPlainObject } from '../../../src/model/values.js';

const TOKEN = 'unit-secret-token-9c4f1e';
const PASSWORD = 'unit-secret-password-77ab';
const EXEC_TOKEN = 'exec-secret-token-0d3e';
const PROVIDER_TOKEN = 'auth-provider-secret-id-token-5a1f';
const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Fails when a credential shows in an error's message or printed form (causes included). */
function assertNoSecrets(error: unknown, secrets: readonly string[] = [TOKEN, PASSWORD, EXEC_TOKEN, PROVIDER_TOKEN]): void {
  const printed = `${error instanceof Error ? error.message : String(error)}\n${inspect(error, { depth: 10 })}`;
  for (const secret of secrets) assert.ok(!printed.includes(secret), `the error shows a credential: ${printed}`);
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return assert.fail('expected a failure');
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return await promise.then(() => assert.fail('expected a failure'), (error: unknown) => error);
}

/** A kubeconfig with one cluster, one user (`user` as given) and one current context. */
const single = (user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string =>
  stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://c.example:6443', ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', namespace: 'shop' } }],
    'current-context': 'ctx',
  });

async function optionsOf(config: KubeConfig): Promise<RequestOptions> {
  const options: RequestOptions = {};
  await config.applyToHTTPSOptions(options);
  return options;
}

/** TLS material as text: the model sets Buffers. */
const textOf = (value: unknown): string | undefined => (Buffer.isBuffer(value) ? value.toString('utf8') : undefined);

function authorizationHeader(options: RequestOptions): unknown {
  const headers: unknown = options.headers;
  return isPlainObject(headers) ? headers.Authorization : undefined;
}

const authorizationOf = async (config: KubeConfig): Promise<unknown> => authorizationHeader(await optionsOf(config));

/** The exec plugin: a real Node process that counts its runs and prints what PLUGIN_MODE asks for. */
const PLUGIN = `
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
const runsBefore = existsSync(process.env.PLUGIN_RUNS) ? readFileSync(process.env.PLUGIN_RUNS, 'utf8').split('\\n').filter(Boolean).length : 0;
appendFileSync(process.env.PLUGIN_RUNS, JSON.stringify(info) + '\\n');
const mode = process.env.PLUGIN_MODE;
const token = process.env.PLUGIN_TOKEN;
const credential = (status) => console.log(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential', status }));
const expiring = (seconds) => new Date(Date.now() + seconds * 1000).toISOString();
if (mode === 'fail') {
  credential({ token });
  console.error('first line\\nerror: login required');
  process.exit(1);
} else if (mode === 'fail-after-first' && runsBefore > 0) {
  console.error('error: the token ' + token + ' was revoked');
  process.exit(2);
} else if (mode === 'garbage') {
  console.log('not json ' + token);
} else if (mode === 'cert') {
  credential({ clientCertificateData: 'CERT-PEM', clientKeyData: 'KEY-PEM' });
} else {
  credential({ token, expirationTimestamp: expiring(Number(process.env.PLUGIN_EXPIRES_IN)) });
}
`;

describe('kubeconfig model', () => {
  let dir: string;
  let plugin: string;
  const file = (name: string): string => join(dir, name);
  const isolated = (options: LoadKubeconfigOptions): LoadKubeconfigOptions => ({ env: {}, homeDir: join(dir, 'no-home'), serviceAccountDir: join(dir, 'no-sa'), ...options });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'launchpad-kubeconfig-model-'));
    plugin = file('plugin.mjs');
    await writeFile(plugin, PLUGIN);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('parsing', () => {
    test('clusters, users, contexts and current-context, with kubectl\'s field names', () => {
      const text = stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://c:6443', 'certificate-authority-data': base64('CA'), 'insecure-skip-tls-verify': false, 'tls-server-name': 'api.internal' } }],
        users: [{ name: 'u', user: { token: TOKEN, username: 'admin', password: PASSWORD, 'client-certificate-data': base64('CERT'), 'client-key-data': base64('KEY') } }],
        contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', namespace: 'shop' } }, { name: 'bare', context: { cluster: 'c' } }],
        'current-context': 'ctx',
        preferences: {},
      });
      const config = parseKubeconfig(text, '/configs/kubeconfig');
      assert.deepEqual(config.getCurrentCluster(), { name: 'c', server: 'https://c:6443', caData: base64('CA'), skipTLSVerify: false, tlsServerName: 'api.internal' });
      assert.deepEqual(config.getCurrentUser(), { name: 'u', token: TOKEN, username: 'admin', password: PASSWORD, certData: base64('CERT'), keyData: base64('KEY') });
      assert.deepEqual(config.getContexts(), [{ name: 'ctx', cluster: 'c', user: 'u', namespace: 'shop' }, { name: 'bare', cluster: 'c' }]);
      assert.equal(config.getCurrentContext(), 'ctx');
    });

    test('an empty file or document is an empty configuration', () => {
      for (const text of ['', '  \n', '# nothing\n', 'null\n']) assert.deepEqual(parseKubeconfig(text, '/k').getContexts(), []);
    });

    const invalid: readonly (readonly [string, string, RegExp])[] = [
      ['a list', '- a\n', /^expected a mapping with clusters, users and contexts$/],
      ['a token that is a number', single({ token: 12345 }), /^users\[0\]\.user\.token must be a string \(quote it\)$/],
      ['a user without a name', stringify({ users: [{ user: { token: TOKEN } }] }), /^users\[0\]\.name is missing$/],
      ['a name used twice', stringify({ users: [{ name: 'u', user: { token: TOKEN } }, { name: 'u', user: {} }] }), /^users: the name "u" appears twice$/],
      ['insecure-skip-tls-verify as a string', single({}, { 'insecure-skip-tls-verify': 'yes' }), /^clusters\[0\]\.cluster\.insecure-skip-tls-verify must be true or false$/],
      ['an exec plugin of an old API version', single({ exec: { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'x' } }), /^users\[0\]\.user\.exec\.apiVersion must be one of /],
      ['an exec plugin without a command', single({ exec: { apiVersion: 'client.authentication.k8s.io/v1' } }), /^users\[0\]\.user\.exec\.command is missing$/],
      ['exec args that are not strings', single({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x', args: [TOKEN, 7] } }), /^users\[0\]\.user\.exec\.args\[1\] must be a string$/],
    ];
    for (const [name, text, message] of invalid) {
      test(`${name}: a KubeconfigError naming the field, quoting no value`, () => {
        const error = caught(() => parseKubeconfig(text, '/k'));
        assert.ok(error instanceof KubeconfigError, String(error));
        assert.match(error.message, message);
        assertNoSecrets(error);
      });
    }

    test('a YAML error names file, line and column, and quotes none of the file', async () => {
      await writeFile(file('broken.yaml'), `users:\n- name: u\n  user:\n    token: ${TOKEN}\n   password: "${PASSWORD}\n`);
      const error = caught(() => readKubeconfigFile(file('broken.yaml')));
      assert.ok(error instanceof KubeconfigError, String(error));
      assert.match(error.message, /broken\.yaml is not a valid kubeconfig: YAML error at line \d+, column \d+: [a-z ]+ — fix the file/);
      assert.equal(error.cause, undefined);
      assertNoSecrets(error);
    });

    test('the configuration prints by context names, never its credentials', () => {
      const config = parseKubeconfig(single({ token: TOKEN, password: PASSWORD }), '/k');
      const printed = inspect({ config }, { depth: 10 });
      assert.match(printed, /KubeConfig \{ contexts: \[ctx\], currentContext: ctx \}/);
      assertNoSecrets(printed);
    });
  });

  test('relative paths are resolved against the kubeconfig\'s folder; an exec command without a slash is left to PATH', () => {
    const text = single({ 'client-certificate': 'certs/client.crt', 'client-key': '../keys/client.key', tokenFile: 'token', exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './bin/plugin' } }, { 'certificate-authority': 'certs/ca.crt' });
    const config = parseKubeconfig(text, '/etc/kube/config');
    assert.equal(config.getCurrentCluster()?.caFile, '/etc/kube/certs/ca.crt');
    const user = config.getCurrentUser();
    assert.deepEqual([user?.certFile, user?.keyFile, user?.tokenFile, user?.exec?.command], ['/etc/kube/certs/client.crt', '/etc/keys/client.key', '/etc/kube/token', '/etc/kube/bin/plugin']);
    const onPath = parseKubeconfig(single({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'kubelogin' }, tokenFile: '/abs/token' }), '/etc/kube/config').getCurrentUser();
    assert.deepEqual([onPath?.exec?.command, onPath?.tokenFile], ['kubelogin', '/abs/token']);
  });

  test('a KUBECONFIG list merges as kubectl: first definition of each name and first current-context win', async () => {
    const config = (server: string, user: Record<string, unknown>, current: string, extra: string): string =>
      stringify({
        clusters: [{ name: 'shared', cluster: { server } }, { name: extra, cluster: { server: `https://${extra}:6443` } }],
        users: [{ name: 'shared', user }, { name: extra, user: {} }],
        contexts: [{ name: 'shared', context: { cluster: 'shared', user: 'shared' } }, { name: extra, context: { cluster: extra, user: extra } }],
        'current-context': current,
      });
    await writeFile(file('first.yaml'), config('https://first:6443', { token: TOKEN }, 'shared', 'only-first'));
    await writeFile(file('second.yaml'), config('https://second:6443', { username: 'admin', password: PASSWORD }, 'only-second', 'only-second'));
    await writeFile(file('empty.yaml'), '');
    const list = [file('missing.yaml'), file('empty.yaml'), file('first.yaml'), file('second.yaml')].join(delimiter);
    const loaded = loadKubeconfig(isolated({ env: { KUBECONFIG: list } }));
    assert.deepEqual([loaded.context, loaded.server, loaded.user], ['shared', 'https://first:6443', 'shared']);
    assert.equal(await authorizationOf(loaded.config), `Bearer ${TOKEN}`);
    assert.deepEqual(loaded.config.getContexts().map((context) => context.name), ['shared', 'only-first', 'only-second']);
    assert.equal(loadKubeconfig(isolated({ env: { KUBECONFIG: list }, context: 'only-second' })).server, 'https://only-second:6443');
  });

  describe('credentials per request', () => {
    test('CA, client certificate and key from data, tls-server-name, and a bearer token', async () => {
      const config = parseKubeconfig(single({ token: `${TOKEN}\n`, 'client-certificate-data': base64('CERT'), 'client-key-data': base64('KEY') }, { 'certificate-authority-data': base64('CA'), 'tls-server-name': 'api.internal' }), '/k');
      const options = await optionsOf(config);
      assert.deepEqual([options.ca, options.cert, options.key], [Buffer.from('CA'), Buffer.from('CERT'), Buffer.from('KEY')]);
      assert.deepEqual([options.rejectUnauthorized, options.servername, authorizationHeader(options)], [true, 'api.internal', `Bearer ${TOKEN}`]);
    });

    test('files are read relative to the kubeconfig; insecure-skip-tls-verify sends no CA; basic auth', async () => {
      await writeFile(file('client.crt'), 'CERT FILE');
      await writeFile(file('client.key'), 'KEY FILE');
      const config = parseKubeconfig(single({ 'client-certificate': 'client.crt', 'client-key': 'client.key', username: 'admin', password: PASSWORD }, { 'insecure-skip-tls-verify': true, 'certificate-authority': 'missing-ca.crt' }), file('kubeconfig'));
      const options = await optionsOf(config);
      assert.deepEqual([options.ca, textOf(options.cert), textOf(options.key), options.rejectUnauthorized], [undefined, 'CERT FILE', 'KEY FILE', false]);
      assert.equal(authorizationHeader(options), `Basic ${base64(`admin:${PASSWORD}`)}`);
    });

    test('a token file is re-read once a minute, so a rotated token is used', async () => {
      const tokenFile = file('rotating-token');
      await writeFile(tokenFile, 'token-one\n');
      let now = 1_000_000;
      const credentials = new Credentials(() => now);
      const cluster = { name: 'c', server: 'https://c:6443', skipTLSVerify: true };
      const user: User = { name: 'u', tokenFile };
      const authorization = async (): Promise<string | undefined> => (await credentials.forRequest(cluster, user)).authorization;
      assert.equal(await authorization(), 'Bearer token-one');
      await writeFile(tokenFile, 'token-two');
      now += FILE_REFRESH_MS / 2;
      assert.equal(await authorization(), 'Bearer token-one');
      now += FILE_REFRESH_MS;
      assert.equal(await authorization(), 'Bearer token-two');
    });

    test('in a pod: the service account token (re-read) and ca.crt', async () => {
      const sa = file('sa');
      await mkdir(sa);
      await writeFile(join(sa, 'token'), TOKEN);
      await writeFile(join(sa, 'ca.crt'), 'SERVICE CA');
      const loaded = loadKubeconfig({ env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, homeDir: join(dir, 'no-home'), serviceAccountDir: sa });
      const options = await optionsOf(loaded.config);
      assert.deepEqual([textOf(options.ca), authorizationHeader(options), loaded.namespace], ['SERVICE CA', `Bearer ${TOKEN}`, 'default']);
    });

    test('an unreadable token file: a credentials TransportError naming the file, without a token', async () => {
      const config = parseKubeconfig(single({ tokenFile: 'no-such-token' }, { 'insecure-skip-tls-verify': true }), file('kubeconfig'));
      const error = await rejection(new Transport(config, 'https://127.0.0.1:9').request({ method: 'GET', path: '/version' }));
      assert.ok(error instanceof TransportError, String(error));
      assert.equal(error.failure, 'credentials');
      assert.match(error.message, /^could not get credentials for the kubeconfig's user: token file .*no-such-token cannot be read \(ENOENT\)$/);
    });
  });

  describe('exec plugins', () => {
    const execUser = (mode: string, runs: string, extra: Record<string, unknown> = {}, expiresIn = 3600): Record<string, unknown> => ({
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: process.execPath,
        args: [plugin],
        env: [{ name: 'PLUGIN_MODE', value: mode }, { name: 'PLUGIN_RUNS', value: runs }, { name: 'PLUGIN_TOKEN', value: EXEC_TOKEN }, { name: 'PLUGIN_EXPIRES_IN', value: String(expiresIn) }],
        interactiveMode: 'Never',
        ...extra,
      },
    });
    const runsOf = async (runs: string): Promise<Record<string, unknown>[]> =>
      (await readFile(runs, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);

    test('its token is used and kept until it expires; concurrent requests share one run; cluster info when asked', async () => {
      const runs = file('runs-token');
      const config = parseKubeconfig(single(execUser('token', runs, { provideClusterInfo: true }), { 'certificate-authority-data': base64('CA') }), '/k');
      const first = await Promise.all([authorizationOf(config), authorizationOf(config), authorizationOf(config)]);
      assert.deepEqual(first, Array(3).fill(`Bearer ${EXEC_TOKEN}`));
      assert.equal(await authorizationOf(config), `Bearer ${EXEC_TOKEN}`);
      const seen = await runsOf(runs);
      assert.equal(seen.length, 1);
      assert.deepEqual(seen[0], {
        apiVersion: 'client.authentication.k8s.io/v1',
        kind: 'ExecCredential',
        spec: { interactive: false, cluster: { server: 'https://c.example:6443', 'insecure-skip-tls-verify': false, 'certificate-authority-data': base64('CA') } },
      });
    });

    test('an expiring credential is renewed before it expires', async () => {
      const runs = file('runs-expiring');
      const config = parseKubeconfig(single(execUser('token', runs, {}, 2)), '/k');
      await authorizationOf(config);
      await authorizationOf(config);
      assert.equal((await runsOf(runs)).length, 2);
    });

    test('a client certificate and key from the plugin', async () => {
      const options = await optionsOf(parseKubeconfig(single(execUser('cert', file('runs-cert'))), '/k'));
      assert.deepEqual([textOf(options.cert), textOf(options.key), authorizationHeader(options)], ['CERT-PEM', 'KEY-PEM', undefined]);
    });

    test('a static token wins over the plugin, which then does not run', async () => {
      const runs = file('runs-static');
      assert.equal(await authorizationOf(parseKubeconfig(single({ ...execUser('token', runs), token: TOKEN }), '/k')), `Bearer ${TOKEN}`);
      assert.equal((await runsOf(runs)).length, 0);
    });

    test('a failing plugin: a credentials failure with its last stderr line, never its output or token; not cached', async () => {
      const runs = file('runs-fail');
      const config = parseKubeconfig(single(execUser('fail', runs)), '/k');
      const direct = await rejection(config.applyToHTTPSOptions({}));
      assert.ok(direct instanceof KubeconfigError, String(direct));
      assert.match(direct.message, /^exec plugin node of user "u" failed \(exit 1\): error: login required$/);
      assertNoSecrets(direct);
      const error = await rejection(new Transport(config, 'https://127.0.0.1:9').request({ method: 'GET', path: '/version' }));
      assert.ok(error instanceof TransportError, String(error));
      assert.equal(error.failure, 'credentials');
      assert.match(error.message, /^could not get credentials for the kubeconfig's user: exec plugin node of user "u" failed/);
      assertNoSecrets(error);
      assert.equal((await runsOf(runs)).length, 2);
    });

    test('a plugin failing after a first credential: the token it gave is redacted from its stderr', async () => {
      const config = parseKubeconfig(single(execUser('fail-after-first', file('runs-after-first'), {}, 2)), '/k');
      assert.equal(await authorizationOf(config), `Bearer ${EXEC_TOKEN}`);
      const error = await rejection(config.applyToHTTPSOptions({}));
      assert.ok(error instanceof KubeconfigError, String(error));
      assert.match(error.message, /failed \(exit 2\): error: the token \*\*\* was revoked$/);
      assertNoSecrets(error);
    });

    test('output that is not an ExecCredential is named, not quoted; a missing plugin shows its install hint', async () => {
      const garbage = await rejection(parseKubeconfig(single(execUser('garbage', file('runs-garbage'))), '/k').applyToHTTPSOptions({}));
      assert.ok(garbage instanceof KubeconfigError);
      assert.match(garbage.message, /^exec plugin node of user "u" did not print an ExecCredential \(its output is not JSON\)$/);
      assertNoSecrets(garbage);
      const missing = parseKubeconfig(single({ exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'launchpad-no-such-plugin', installHint: 'install it from example.com\nsecond line' } }), '/k');
      const error = await rejection(missing.applyToHTTPSOptions({}));
      assert.ok(error instanceof KubeconfigError);
      assert.match(error.message, /^exec plugin launchpad-no-such-plugin of user "u" could not run: could not start launchpad-no-such-plugin.* \(install it from example\.com\)$/);
    });
  });

  describe('refused when selected', () => {
    const refusals: readonly (readonly [string, string, RegExp])[] = [
      ['auth-provider', single({ 'auth-provider': { name: 'oidc', config: { 'id-token': PROVIDER_TOKEN, 'refresh-token': PROVIDER_TOKEN } } }), /^context "ctx" in .*: user "u" uses auth-provider "oidc", which is not supported — use an exec plugin instead/],
      ['proxy-url', single({ token: TOKEN }, { 'proxy-url': 'http://proxy:3128' }), /^context "ctx" in .*: cluster "c" sets proxy-url, which is not supported — /],
      ['impersonation', single({ token: TOKEN, as: 'someone' }), /^context "ctx" in .*: user "u" impersonates .*not supported/],
      ['an exec plugin that needs a terminal', single({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x', interactiveMode: 'Always' } }), /interactiveMode Always, and Launchpad has no terminal/],
    ];
    for (const [name, text, message] of refusals) {
      test(`${name}: a KubeconfigError naming the user or cluster and the way out, without credentials`, async () => {
        const path = file(`refused-${name.replace(/\W+/g, '-')}.yaml`);
        await writeFile(path, text);
        const error = caught(() => loadKubeconfig(isolated({ kubeconfig: path })));
        assert.ok(error instanceof KubeconfigError, String(error));
        assert.match(error.message, message);
        assertNoSecrets(error);
      });
    }

    test('other contexts of the same file still load', async () => {
      const path = file('mixed.yaml');
      await writeFile(path, stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://c:6443' } }],
        users: [{ name: 'gcp', user: { 'auth-provider': { name: 'gcp', config: { 'access-token': PROVIDER_TOKEN } } } }, { name: 'ok', user: { token: TOKEN } }],
        contexts: [{ name: 'old', context: { cluster: 'c', user: 'gcp' } }, { name: 'new', context: { cluster: 'c', user: 'ok' } }],
        'current-context': 'old',
      }));
      assert.equal(loadKubeconfig(isolated({ kubeconfig: path, context: 'new' })).user, 'ok');
      assertNoSecrets(inspect(loadKubeconfig(isolated({ kubeconfig: path, context: 'new' })), { depth: 10 }), [PROVIDER_TOKEN, TOKEN]);
    });
  });

  test('an in-memory configuration (a cluster Secret) is used as it is', async () => {
    const config = new KubeConfig({
      clusters: [{ name: 'remote', server: 'https://remote:6443', skipTLSVerify: false, caData: base64('CA') }],
      users: [{ name: 'launchpad', token: TOKEN }],
      contexts: [{ name: 'remote', cluster: 'remote', user: 'launchpad' }],
      currentContext: 'remote',
    });
    const loaded = loadKubeconfig({ inMemory: { config, source: 'cluster Secret s' } });
    assert.deepEqual([loaded.server, loaded.namespace, loaded.source], ['https://remote:6443', 'default', 'cluster Secret s']);
    const options = await optionsOf(loaded.config);
    assert.deepEqual([textOf(options.ca), authorizationHeader(options)], ['CA', `Bearer ${TOKEN}`]);
  });
});
