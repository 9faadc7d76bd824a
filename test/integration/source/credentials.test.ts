/**
 * GIVEN repositories that demand credentials — a real git smart-HTTP server (git http-backend) behind basic auth, a
 * Helm repository served over http(s) behind basic auth with charts packaged by the real helm, git over "ssh"
 * through a stand-in ssh program, and a real OCI registry behind an authenticating proxy — WHEN they are resolved
 * with a CredentialStore built from Argo CD repository Secrets THEN the right Secret's credentials are used, and
 * no username or password ever appears in an argv, a URL, the cache, an error message or `util.inspect(error)`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { access, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { delimiter, join, normalize } from 'node:path';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { SourceError } from '../../../src/errors.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { findBinary } from '../../../src/process/binaries.js';
import { runProcess, setProcessRunner, spawnProcess } from '../../../src/process/run.js';
import { renderApplication } from '../../../src/render/app.js';
import { CredentialStore, createSourceResolver } from '../../../src/source/index.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { startGitHttpServer } from '../../../src/testing/git-http-server.js';
import type { GitHttpServer } from '../../../src/testing/git-http-server.js';
import { application } from '../render/helpers.js';
import { packageChart } from './helm-repo-server.js';
import { recordProcesses, tempDir } from './helpers.js';
import { findRegistryBinary, startOciRegistry } from './oci-registry.js';

const ONLINE = { offline: false };
const USER = 'deploy-robot';
const PASSWORD = 'S3cret-Pa55-w0rd';
const WRONG = 'Wr0ng-Pa55-w0rd';
const SECRETS = [USER, PASSWORD, WRONG];
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  from: private\n';

type Dir = Awaited<ReturnType<typeof tempDir>>;

function repoSecret(name: string, type: 'repository' | 'repo-creds', fields: Record<string, string>): KubeObject {
  const data = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, Buffer.from(value).toString('base64')]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': type } }, data };
}

/** Neither the message nor anything util.inspect shows of the error (stack, cause, fields) holds a credential. */
function assertNoSecrets(error: unknown, extra: readonly string[] = []): void {
  const shown = `${error instanceof Error ? error.message : String(error)}\n${inspect(error, { depth: 10 })}`;
  for (const secret of [...SECRETS, ...extra]) assert.ok(!shown.includes(secret), `"${secret}" leaked into: ${shown}`);
}

function assertNoSecretsInArgv(calls: readonly (readonly string[])[]): void {
  for (const argv of calls) for (const secret of SECRETS) assert.ok(!argv.join(' ').includes(secret), `"${secret}" on an argv: ${argv.join(' ')}`);
}

function authRejection(pattern: RegExp, extra: readonly string[] = []): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof SourceError, String(error));
    assert.equal(error.retryable, false, error.message);
    assert.match(error.message, pattern);
    assertNoSecrets(error, extra);
    return true;
  };
}

describe('git over https behind basic auth', () => {
  let served: Dir;
  let repo: GitFixture;
  let server: GitHttpServer;
  let url: string;

  before(async () => {
    served = await tempDir('served-creds');
    repo = await createGitRepo({ dir: join(served.path, 'private'), files: { 'manifests/cm.yaml': CONFIG_MAP } });
    await createGitRepo({ dir: join(served.path, 'team', 'app'), files: { 'cm.yaml': CONFIG_MAP } });
    server = await startGitHttpServer({ root: served.path, credentials: { username: USER, password: PASSWORD } });
    url = `${server.base}/private`;
  });
  after(async () => {
    await server.close();
    await served.remove();
  });

  async function withCache<T>(run: (cacheDir: string) => Promise<T>): Promise<T> {
    const cache = await tempDir('cache-creds');
    try {
      return await run(cache.path);
    } finally {
      await cache.remove();
    }
  }

  test('GIVEN a repository Secret with the right username and password THEN the repository resolves and renders, and they appear in no argv, URL or cache file', async () => {
    const store = new CredentialStore([repoSecret('private-repo', 'repository', { url: `${url}.git`, username: USER, password: PASSWORD, type: 'git' })]);
    const log = recordProcesses();
    try {
      await withCache(async (cacheDir) => {
        const checkout = await createSourceResolver({ cacheDir, credentials: store }).resolveGit(url, 'main', ONLINE);
        assert.equal(checkout.sha, await repo.revParse());
        const config = await readFile(join(checkout.gitDir ?? '', 'config'), 'utf8');
        for (const secret of SECRETS) assert.ok(!config.includes(secret), 'the mirror config holds no credential');
      });
      await withCache(async (cacheDir) => {
        const app = application('web', [{ repoURL: url, path: 'manifests', targetRevision: 'main' }]);
        const result = await renderApplication(app, { resolver: createSourceResolver({ cacheDir, credentials: store }), offline: false });
        assert.equal(result.status, 'ok', result.message);
        assert.deepEqual(result.resources.map((object) => `${object.kind}/${object.metadata.name ?? ''}`), ['ConfigMap/web-config']);
      });
    } finally {
      log.restore();
    }
    assert.ok(log.count('fetch') >= 2);
    assertNoSecretsInArgv(log.calls);
    assert.ok(server.attempts.some((attempt) => attempt.username === USER && attempt.accepted), 'git authenticated as the Secret\'s user');
  });

  const REFUSED: ReadonlyArray<readonly [string, (base: string) => KubeObject[], RegExp]> = [
    ['a wrong password', (base) => [repoSecret('private-repo', 'repository', { url: `${base}/private`, username: USER, password: WRONG })], /authentication failed with the credentials of Secret argocd\/private-repo.*check the username and password/],
    ['no Secret at all', () => [], /authentication failed, access denied .*configure credentials for it: a repository Secret/],
    ['a Secret for another repository only', (base) => [repoSecret('other', 'repository', { url: `${base}/other`, username: USER, password: PASSWORD })], /authentication failed, access denied/],
  ];
  for (const [what, secrets, reason] of REFUSED) {
    test(`GIVEN ${what} THEN the error names the repository, says authentication failed and shows no credential`, async () => {
      const store = new CredentialStore(secrets(server.base));
      await withCache(async (cacheDir) => {
        const resolver = createSourceResolver({ cacheDir, credentials: store });
        await assert.rejects(resolver.resolveGit(url, 'main', ONLINE), authRejection(new RegExp(`could not fetch ${escape(url)}: ${reason.source}`)));
        const result = await renderApplication(application('web', [{ repoURL: url, path: 'manifests', targetRevision: 'main' }]), { resolver, offline: false });
        assert.equal(result.status, 'error');
        assert.match(result.message, /authentication failed/);
        assertNoSecrets(result.message);
      });
    });
  }

  test('GIVEN repo-creds templates THEN the longest matching prefix is used', async () => {
    const store = new CredentialStore([
      repoSecret('host', 'repo-creds', { url: server.base, username: USER, password: WRONG }),
      repoSecret('team', 'repo-creds', { url: `${server.base}/team/`, username: USER, password: PASSWORD }),
    ]);
    await withCache(async (cacheDir) => {
      const resolver = createSourceResolver({ cacheDir, credentials: store });
      const checkout = await resolver.resolveGit(`${server.base}/team/app`, 'HEAD', ONLINE);
      assert.equal(await readFile(join(checkout.dir, 'cm.yaml'), 'utf8'), CONFIG_MAP);
      await assert.rejects(resolver.resolveGit(url, 'main', ONLINE), authRejection(/authentication failed with the credentials of Secret argocd\/host \(repo-creds for http:\/\/127\.0\.0\.1:\d+\)/));
    });
  });

  test('GIVEN a template and an exact repository Secret THEN the exact one wins, whichever holds the right password', async () => {
    const rightTemplate = repoSecret('all', 'repo-creds', { url: server.base, username: USER, password: PASSWORD });
    const wrongExact = repoSecret('private-repo', 'repository', { url, username: USER, password: WRONG });
    await withCache(async (cacheDir) => {
      const resolver = createSourceResolver({ cacheDir, credentials: new CredentialStore([rightTemplate, wrongExact]) });
      await assert.rejects(resolver.resolveGit(url, 'main', ONLINE), authRejection(/credentials of Secret argocd\/private-repo/));
    });
    const wrongTemplate = repoSecret('all', 'repo-creds', { url: server.base, username: USER, password: WRONG });
    const rightExact = repoSecret('private-repo', 'repository', { url, username: USER, password: PASSWORD });
    await withCache(async (cacheDir) => {
      const checkout = await createSourceResolver({ cacheDir, credentials: new CredentialStore([wrongTemplate, rightExact]) }).resolveGit(url, 'main', ONLINE);
      assert.equal(checkout.sha, await repo.revParse());
    });
  });

  test('GIVEN git output that echoes a credential THEN the error shows *** in its place', async () => {
    const store = new CredentialStore([repoSecret('private-repo', 'repository', { url, username: USER, password: PASSWORD })]);
    const restore = setProcessRunner(async (command, args, options) => {
      if (!args.includes('fetch')) return spawnProcess(command, args, options);
      return { exitCode: 128, stdout: '', stderr: `fatal: unable to access '${url}/': proxy said ${USER}:${PASSWORD} is not welcome`, durationMs: 1 };
    });
    try {
      await withCache(async (cacheDir) => {
        await assert.rejects(createSourceResolver({ cacheDir, credentials: store }).resolveGit(url, 'main', ONLINE), (error: unknown) => {
          assert.ok(error instanceof SourceError);
          assert.match(error.message, /proxy said \*\*\*:\*\*\* is not welcome/);
          assertNoSecrets(error);
          return true;
        });
      });
    } finally {
      restore();
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface TestServer {
  /** `http(s)://127.0.0.1:<port>` */
  readonly url: string;
  /** `<method> <path> accepted|refused`, per request. */
  readonly requests: string[];
  close(): Promise<void>;
}

interface Tls {
  readonly key: string;
  readonly cert: string;
}

const EXPECTED_AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

/** Answers 401 unless the request carries USER:PASSWORD, then hands it to `serve`. */
function guarded(requests: string[], serve: RequestListener): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const accepted = request.headers.authorization === EXPECTED_AUTH;
    requests.push(`${request.method ?? ''} ${request.url ?? ''} ${accepted ? 'accepted' : 'refused'}`);
    if (!accepted) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="launchpad test"', 'content-type': 'application/json' });
      response.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    serve(request, response);
  };
}

async function listen(handler: RequestListener, tls?: Tls): Promise<TestServer & { readonly port: number }> {
  const requests: string[] = [];
  const server: Server = tls === undefined ? createServer(guarded(requests, handler)) : createHttpsServer(tls, guarded(requests, handler));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}

/** A static Helm repository: index.yaml (relative chart URLs, from `helm repo index`) and .tgz packages. */
function startChartServer(dir: string, tls?: Tls): Promise<TestServer> {
  return listen((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    readFile(join(dir, path)).then(
      (body) => response.writeHead(200).end(body),
      () => response.writeHead(404).end('not found'),
    );
  }, tls);
}

async function packageRepository(work: string, versions: readonly string[]): Promise<string> {
  const repoDir = join(work, 'repo');
  for (const version of versions) await packageChart(work, repoDir, { name: 'private', version });
  await runProcess(findBinary('helm'), ['repo', 'index', repoDir]);
  return repoDir;
}

/** Points helm's own cache and config at a temp folder for the duration of a describe block. */
function isolateHelm(work: () => string): void {
  const previous = { cache: process.env.HELM_CACHE_HOME, config: process.env.HELM_CONFIG_HOME };
  before(() => {
    process.env.HELM_CACHE_HOME = join(work(), 'helm-cache');
    process.env.HELM_CONFIG_HOME = join(work(), 'helm-config');
  });
  after(() => {
    restoreEnv('HELM_CACHE_HOME', previous.cache);
    restoreEnv('HELM_CONFIG_HOME', previous.config);
  });
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) Reflect.deleteProperty(process.env, name);
  else process.env[name] = value;
}

function argAfter(argv: readonly string[], flag: string): string {
  const index = argv.indexOf(flag);
  return index < 0 ? '' : argv[index + 1] ?? '';
}

describe('a Helm repository behind basic auth', () => {
  let work: Dir;
  let cache: Dir;
  let server: TestServer;

  before(async () => {
    work = await tempDir('charts-creds');
    cache = await tempDir('cache-charts-creds');
  });
  isolateHelm(() => work.path);
  before(async () => {
    server = await startChartServer(await packageRepository(work.path, ['1.0.0', '1.1.0']));
  });
  after(async () => {
    await server.close();
    await work.remove();
    await cache.remove();
  });

  test('GIVEN a repository Secret THEN the index and the chart are fetched with its credentials, which never reach an argv', async () => {
    const store = new CredentialStore([repoSecret('charts', 'repository', { url: server.url, type: 'helm', username: USER, password: PASSWORD })]);
    const log = recordProcesses();
    let checkout;
    try {
      checkout = await createSourceResolver({ cacheDir: join(cache.path, 'exact'), credentials: store }).resolveChart(server.url, 'private', '^1', ONLINE);
    } finally {
      log.restore();
    }
    assert.equal(checkout.version, '1.1.0');
    assert.match(await readFile(join(checkout.dir, 'Chart.yaml'), 'utf8'), /version: 1\.1\.0/);
    const pulls = log.calls.filter((argv) => argv[1] === 'pull');
    assert.equal(pulls.length, 1);
    const pull = pulls[0] ?? [];
    assert.ok(pull.includes('launchpad-repo/private'), pull.join(' '));
    assertNoSecretsInArgv(log.calls);
    await assert.rejects(access(argAfter(pull, '--repository-config')), /ENOENT/, 'the private repositories.yaml is removed');
    assert.ok(server.requests.includes('GET /index.yaml accepted'), server.requests.join('\n'));
    assert.ok(server.requests.includes('GET /private-1.1.0.tgz accepted'), server.requests.join('\n'));
  });

  test('GIVEN a repo-creds template whose prefix matches THEN it is used', async () => {
    const store = new CredentialStore([repoSecret('all-charts', 'repo-creds', { url: server.url.replace(/:\d+$/, ''), username: USER, password: PASSWORD })]);
    const checkout = await createSourceResolver({ cacheDir: join(cache.path, 'template'), credentials: store }).resolveChart(server.url, 'private', '1.0.0', ONLINE);
    assert.equal(checkout.version, '1.0.0');
  });

  const REFUSED: ReadonlyArray<readonly [string, (url: string) => KubeObject[], RegExp]> = [
    ['no credentials', () => [], /refused access \(HTTP 401\): authentication failed — declare a repository Secret for it/],
    ['a wrong password', (url) => [repoSecret('charts', 'repository', { url, username: USER, password: WRONG })], /refused access \(HTTP 401\) with the credentials of Secret argocd\/charts: authentication failed — check the username and password/],
  ];
  for (const [what, secrets, reason] of REFUSED) {
    test(`GIVEN ${what} THEN the repository answers 401 and the error says so without showing a credential`, async () => {
      const resolver = createSourceResolver({ cacheDir: join(cache.path, 'refused'), credentials: new CredentialStore(secrets(server.url)) });
      await assert.rejects(resolver.resolveChart(server.url, 'private', '^1', ONLINE), authRejection(new RegExp(`the chart repository ${escape(server.url)} ${reason.source}`)));
    });
  }
});

/** A stand-in for ssh: checks the identity file it is given, then runs the git command locally in `root`. */
function fakeSsh(paths: { readonly log: string; readonly expectedKey: string; readonly root: string; readonly execPath: string }): string {
  const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
  return [
    '#!/bin/sh',
    'key=""',
    'while [ $# -gt 0 ]; do',
    '  case "$1" in',
    '    -i) key="$2"; shift 2 ;;',
    '    -o|-p|-l|-F) shift 2 ;;',
    '    -*) shift ;;',
    '    *) break ;;',
    '  esac',
    'done',
    'host="$1"; shift',
    'mode=$(stat -c %a "$key" 2>/dev/null || echo none)',
    `echo "key=$key mode=$mode" >> ${quote(paths.log)}`,
    `if [ -z "$key" ] || ! cmp -s "$key" ${quote(paths.expectedKey)}; then`,
    '  echo "$host: Permission denied (publickey)." >&2',
    '  exit 255',
    'fi',
    `cd ${quote(paths.root)} || exit 1`,
    `PATH=${quote(paths.execPath)}:$PATH`,
    'export PATH',
    'exec sh -c "$*"',
    '',
  ].join('\n');
}

describe('git over ssh with a Secret\'s private key (real git, a stand-in ssh program)', () => {
  const KEY_BODY = `b3BlbnNzaC1rZXktdjEAAAAA${Buffer.from('launchpad test key, not a real one').toString('base64')}`;
  const KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY_BODY}\n-----END OPENSSH PRIVATE KEY-----\n`;
  const URL = 'git@127.0.0.1:private';
  let work: Dir;
  let repo: GitFixture;
  let log: string;
  const previousPath = process.env.PATH;

  before(async () => {
    work = await tempDir('ssh-creds');
    repo = await createGitRepo({ dir: join(work.path, 'root', 'private'), files: { 'manifests/cm.yaml': CONFIG_MAP } });
    log = join(work.path, 'ssh.log');
    const expectedKey = join(work.path, 'expected-key');
    await writeFile(expectedKey, KEY);
    const execPath = (await runProcess(findBinary('git'), ['--exec-path'])).stdout.trim();
    await mkdir(join(work.path, 'bin'));
    const ssh = join(work.path, 'bin', 'ssh');
    await writeFile(ssh, fakeSsh({ log, expectedKey, root: join(work.path, 'root'), execPath }));
    await chmod(ssh, 0o755);
    process.env.PATH = `${join(work.path, 'bin')}${delimiter}${previousPath ?? ''}`;
  });
  after(async () => {
    restoreEnv('PATH', previousPath);
    await work.remove();
  });

  /** What each ssh call was given: the key file (-i) and its mode then. */
  async function sshCalls(): Promise<{ readonly key: string; readonly mode: string }[]> {
    const lines = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');
    return lines.map((line) => {
      const match = /^key=(.*) mode=(\S+)$/.exec(line);
      return { key: match?.[1] ?? '', mode: match?.[2] ?? '' };
    });
  }

  test('GIVEN the right key THEN git uses it from a 0600 file that is removed afterwards, and never from argv', async () => {
    const cache = await tempDir('cache-ssh');
    const processes = recordProcesses();
    try {
      const store = new CredentialStore([repoSecret('ssh-repo', 'repository', { url: 'ssh://git@127.0.0.1/private.git', sshPrivateKey: KEY })]);
      const checkout = await createSourceResolver({ cacheDir: cache.path, credentials: store }).resolveGit(URL, 'main', ONLINE);
      assert.equal(checkout.sha, await repo.revParse());
      assert.equal(await readFile(join(checkout.dir, 'manifests', 'cm.yaml'), 'utf8'), CONFIG_MAP);
    } finally {
      processes.restore();
      await cache.remove();
    }
    const calls = await sshCalls();
    assert.ok(calls.length >= 1);
    for (const { key, mode } of calls) {
      assert.equal(mode, '600', 'the key file is private while git runs');
      await assert.rejects(access(key), /ENOENT/, 'the key file is removed afterwards');
    }
    for (const argv of processes.calls) assert.ok(!argv.join(' ').includes(KEY_BODY));
  });

  test('GIVEN a wrong key THEN the error says authentication failed, names the Secret and shows no key; the file is removed', async () => {
    await writeFile(log, '');
    const cache = await tempDir('cache-ssh-wrong');
    const wrongBody = `${KEY_BODY}WRONG`;
    try {
      const store = new CredentialStore([repoSecret('ssh-repo', 'repository', { url: URL, sshPrivateKey: KEY.replace(KEY_BODY, wrongBody) })]);
      await assert.rejects(
        createSourceResolver({ cacheDir: cache.path, credentials: store }).resolveGit(URL, 'main', ONLINE),
        authRejection(/could not fetch git@127\.0\.0\.1:private: authentication failed with the credentials of Secret argocd\/ssh-repo, access denied \(.*Permission denied \(publickey\)/, [wrongBody]),
      );
    } finally {
      await cache.remove();
    }
    const calls = await sshCalls();
    assert.ok(calls.length >= 1 && calls.every(({ key }) => key !== ''), 'ssh was given a key file');
    for (const { key } of calls) await assert.rejects(access(key), /ENOENT/);
  });

  test('GIVEN an https Secret only THEN no key is handed to ssh', async () => {
    await writeFile(log, '');
    const cache = await tempDir('cache-ssh-none');
    try {
      const store = new CredentialStore([repoSecret('https-only', 'repo-creds', { url: 'https://127.0.0.1', username: USER, password: PASSWORD })]);
      await assert.rejects(createSourceResolver({ cacheDir: cache.path, credentials: store }).resolveGit(URL, 'main', ONLINE), authRejection(/authentication failed, access denied/));
    } finally {
      await cache.remove();
    }
    const calls = await sshCalls();
    assert.ok(calls.length >= 1);
    assert.deepEqual(calls.map(({ key }) => key), calls.map(() => ''), 'ssh got no -i');
  });
});

const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;

describe('insecure: "true" skips TLS verification, for that repository only', { skip: hasOpenssl ? false : 'openssl is not installed' }, () => {
  let work: Dir;
  let tls: Tls;
  let git: GitHttpServer;
  let charts: TestServer;
  let repo: GitFixture;

  before(async () => {
    work = await tempDir('tls-creds');
    const key = join(work.path, 'key.pem');
    const cert = join(work.path, 'cert.pem');
    await runProcess('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { timeoutMs: 60_000 });
    tls = { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
    repo = await createGitRepo({ dir: join(work.path, 'served', 'private'), files: { 'manifests/cm.yaml': CONFIG_MAP } });
    git = await startGitHttpServer({ root: join(work.path, 'served'), credentials: { username: USER, password: PASSWORD }, tls });
  });
  isolateHelm(() => work.path);
  before(async () => {
    charts = await startChartServer(await packageRepository(work.path, ['2.0.0']), tls);
  });
  after(async () => {
    await git.close();
    await charts.close();
    await work.remove();
  });

  test('GIVEN a self-signed https git server THEN it is refused without insecure and fetched with it', async () => {
    const url = `${git.base}/private`;
    const secure = new CredentialStore([repoSecret('tls-repo', 'repository', { url, username: USER, password: PASSWORD })]);
    const insecure = new CredentialStore([repoSecret('tls-repo', 'repository', { url, username: USER, password: PASSWORD, insecure: 'true' })]);
    const cache = await tempDir('cache-tls');
    try {
      await assert.rejects(createSourceResolver({ cacheDir: cache.path, credentials: secure }).resolveGit(url, 'main', ONLINE), (error: unknown) => {
        assert.ok(error instanceof SourceError);
        assert.match(error.message, /certificate/i);
        assertNoSecrets(error);
        return true;
      });
      const checkout = await createSourceResolver({ cacheDir: cache.path, credentials: insecure }).resolveGit(url, 'main', ONLINE);
      assert.equal(checkout.sha, await repo.revParse());
    } finally {
      await cache.remove();
    }
  });

  test('GIVEN a self-signed https Helm repository THEN it is refused without insecure, and the index and the pull skip verification with it', async () => {
    const secure = new CredentialStore([repoSecret('tls-charts', 'repository', { url: charts.url, type: 'helm', username: USER, password: PASSWORD })]);
    const insecure = new CredentialStore([repoSecret('tls-charts', 'repository', { url: charts.url, type: 'helm', username: USER, password: PASSWORD, insecure: 'true' })]);
    const cache = await tempDir('cache-tls-charts');
    try {
      await assert.rejects(createSourceResolver({ cacheDir: cache.path, credentials: secure }).resolveChart(charts.url, 'private', '2.0.0', ONLINE), (error: unknown) => {
        assert.ok(error instanceof SourceError);
        assert.match(error.message, /could not fetch the chart index of https:\/\/127\.0\.0\.1:\d+: .*certificate/i);
        assertNoSecrets(error);
        return true;
      });
      const checkout = await createSourceResolver({ cacheDir: cache.path, credentials: insecure }).resolveChart(charts.url, 'private', '2.0.0', ONLINE);
      assert.equal(checkout.version, '2.0.0');
      assert.ok(charts.requests.includes('GET /private-2.0.0.tgz accepted'), charts.requests.join('\n'));
    } finally {
      await cache.remove();
    }
  });
});

/** An http proxy in front of a registry that demands USER:PASSWORD (the OCI registry itself runs without auth). */
async function startAuthProxy(target: string): Promise<TestServer & { readonly port: number }> {
  const [hostname = '127.0.0.1', port = '0'] = target.split(':');
  return listen((request, response) => {
    const upstream = httpRequest({ hostname, port: Number(port), method: request.method, path: request.url, headers: { ...request.headers, host: target } }, (reply) => {
      response.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
}

const registryBinary = findRegistryBinary();
const noRegistry = registryBinary === undefined && process.env.CI !== 'true' ? 'no OCI registry: run scripts/install-registry.sh' : false;

describe('an OCI registry behind basic auth', { skip: noRegistry }, () => {
  let work: Dir;
  let registry: Awaited<ReturnType<typeof startOciRegistry>>;
  let proxy: TestServer & { readonly port: number };

  before(async () => {
    work = await tempDir('oci-creds');
  });
  isolateHelm(() => work.path);
  before(async () => {
    registry = await startOciRegistry(registryBinary ?? 'registry', join(work.path, 'registry'));
    const packages = join(work.path, 'packages');
    await packageChart(work.path, packages, { name: 'web', version: '1.0.0' });
    await runProcess(findBinary('helm'), ['push', join(packages, 'web-1.0.0.tgz'), `oci://${registry.host}/charts`, '--plain-http']);
    proxy = await startAuthProxy(registry.host);
  });
  after(async () => {
    await proxy.close();
    await registry.close();
    await work.remove();
  });

  test('GIVEN an enableOCI Secret for a schemeless repoURL (as Argo CD writes them) THEN helm pulls oci://… with its credentials, never on argv', async () => {
    const repoURL = `127.0.0.1:${proxy.port}/charts`;
    const store = new CredentialStore([repoSecret('registry', 'repository', { url: repoURL, type: 'helm', enableOCI: 'true', username: USER, password: PASSWORD })]);
    const cache = await tempDir('cache-oci-creds');
    const log = recordProcesses();
    try {
      const checkout = await createSourceResolver({ cacheDir: cache.path, credentials: store, ociPlainHttp: true }).resolveChart(repoURL, 'web', '1.0.0', ONLINE);
      assert.equal(checkout.version, '1.0.0');
      assert.equal(checkout.repoURL, repoURL);
    } finally {
      log.restore();
      await cache.remove();
    }
    const pull = log.calls.find((argv) => argv[1] === 'pull') ?? [];
    assert.equal(pull[2], `oci://${repoURL}/web`);
    assertNoSecretsInArgv(log.calls);
    await assert.rejects(access(argAfter(pull, '--registry-config')), /ENOENT/, 'the private registry config is removed');
    assert.ok(proxy.requests.some((line) => line.endsWith('accepted')), proxy.requests.join('\n'));
  });

  test('GIVEN no credentials THEN the pull is refused, and the error says authentication failed', async () => {
    const cache = await tempDir('cache-oci-none');
    try {
      const resolver = createSourceResolver({ cacheDir: cache.path, credentials: new CredentialStore([]), ociPlainHttp: true });
      await assert.rejects(resolver.resolveChart(`oci://127.0.0.1:${proxy.port}/charts`, 'web', '1.0.0', ONLINE), authRejection(/could not pull chart "web" version "1\.0\.0" from oci:\/\/127\.0\.0\.1:\d+\/charts: authentication failed/));
    } finally {
      await cache.remove();
    }
  });
});
