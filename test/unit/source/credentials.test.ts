/**
 * GIVEN repository Secrets as Argo CD declares them WHEN they are parsed and looked up THEN exact Secrets win over
 * templates, the longest template prefix wins, https and ssh forms never cross, malformed Secrets are skipped with
 * a reason that shows no value — and the git/helm plumbing passes the values without argv or leftovers.
 */
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { SourceError, ToolError } from '../../../src/errors.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { runProcess, setProcessRunner, trimToolOutput } from '../../../src/process/run.js';
import { CredentialStore, isHttpURL, isSshURL, prefixMatches, redactSecrets } from '../../../src/source/credentials.js';
import { ASKPASS_SCRIPT, NO_GIT_AUTH, gitSshCommand, withGitAuth } from '../../../src/source/git-auth.js';
import type { GitAuth } from '../../../src/source/git-auth.js';
import { HELM_REPO_NAME, helmPull, helmPullArgs } from '../../../src/source/helm-pull.js';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAfakefakefakefake\n-----END OPENSSH PRIVATE KEY-----\n';

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

function secret(name: string, type: string, fields: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject {
  const data = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, b64(value)]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': type } }, data, ...extra };
}

describe('parsing repository Secrets', () => {
  test('GIVEN a repository Secret (data, base64) THEN its fields are read and it is named for messages', () => {
    const store = new CredentialStore([secret('private', 'repository', { url: 'https://git.example.com/org/app.git', username: 'robot', password: 'pw-1', insecure: 'true', type: 'git' })]);
    assert.deepEqual(store.lookup('https://git.example.com/org/app.git'), { username: 'robot', password: 'pw-1', insecure: true, type: 'git', source: 'Secret argocd/private' });
    assert.deepEqual(store.problems(), []);
    assert.equal(store.size, 1);
  });

  test('GIVEN stringData THEN it is read, and it overrides data as the API server does', () => {
    const store = new CredentialStore([secret('s', 'repository', { url: 'https://h/x', password: 'from-data' }, { stringData: { password: 'from-stringData', username: 'u1' } })]);
    assert.equal(store.lookup('https://h/x')?.password, 'from-stringData');
    assert.equal(store.lookup('https://h/x')?.username, 'u1');
  });

  test('GIVEN URLs differing in case, .git and a trailing slash THEN they are the same repository', () => {
    const store = new CredentialStore([secret('s', 'repository', { url: 'https://Git.Example.com/Org/App.git/', password: 'p' })]);
    for (const url of ['https://git.example.com/org/app', 'https://git.example.com/org/app.git', 'https://GIT.example.com/org/app/', 'https://token@git.example.com/org/app']) {
      assert.equal(store.lookup(url)?.password, 'p', url);
    }
    assert.equal(store.lookup('https://git.example.com/org/app2'), undefined);
    assert.equal(store.lookup('http://git.example.com/org/app'), undefined, 'https credentials are not sent over http');
  });

  test('GIVEN Secrets of other types, other kinds or no label THEN they are ignored', () => {
    const cluster = secret('c', 'cluster', { url: 'https://h/x', password: 'p' });
    const configMap = { ...secret('m', 'repository', { url: 'https://h/x', password: 'p' }), kind: 'ConfigMap' };
    const unlabelled: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'u' }, data: { url: b64('https://h/x') } };
    const store = new CredentialStore([cluster, configMap, unlabelled]);
    assert.equal(store.size, 0);
    assert.equal(store.lookup('https://h/x'), undefined);
  });

  test('GIVEN a local path or file:// URL THEN no credentials apply', () => {
    const store = new CredentialStore([secret('t', 'repo-creds', { url: 'https://h', password: 'p' })]);
    assert.equal(store.lookup('/srv/repo'), undefined);
    assert.equal(store.lookup('file:///srv/repo'), undefined);
    assert.equal(store.lookup('./repo'), undefined);
  });
});

describe('templates (repo-creds) and precedence', () => {
  const store = new CredentialStore([
    secret('host', 'repo-creds', { url: 'https://git.example.com', username: 'host-user', password: 'host-pw' }),
    secret('org', 'repo-creds', { url: 'https://git.example.com/org/', username: 'org-user', password: 'org-pw' }),
    secret('team', 'repo-creds', { url: 'https://git.example.com/org/team', username: 'team-user', password: 'team-pw' }),
    secret('exact', 'repository', { url: 'https://git.example.com/org/team/special.git', username: 'exact-user', password: 'exact-pw' }),
    secret('declared', 'repository', { url: 'https://git.example.com/org/declared', insecure: 'true', type: 'git' }),
    secret('ssh-org', 'repo-creds', { url: 'git@git.example.com:org', sshPrivateKey: KEY }),
  ]);

  const CASES: ReadonlyArray<readonly [string, string | undefined]> = [
    ['https://git.example.com/other/repo', 'host-pw'],
    ['https://git.example.com/org/repo', 'org-pw'],
    ['https://git.example.com/org/team/repo.git', 'team-pw'],
    ['https://git.example.com/org/team-two/repo', 'team-pw'], // a plain prefix, as in Argo CD
    ['https://git.example.com/org/team/special', 'exact-pw'],
    ['https://git.example.com.evil.test/org/repo', undefined], // never another host
    ['https://git.example.com:8443/org/repo', 'host-pw'],
    ['http://git.example.com/org/repo', undefined],
    ['git@git.example.com:org/repo.git', undefined],
  ];
  for (const [url, password] of CASES) {
    test(`GIVEN ${url} THEN the ${password ?? 'no'} credentials apply`, () => {
      assert.equal(store.lookup(url)?.password, password);
    });
  }

  test('GIVEN an exact repository Secret without credentials THEN it inherits the best template\'s and keeps its own settings', () => {
    const found = store.lookup('https://git.example.com/org/declared');
    assert.ok(found !== undefined);
    assert.equal(found.password, 'org-pw');
    assert.equal(found.insecure, true);
    assert.equal(found.type, 'git');
    assert.match(found.source ?? '', /Secret argocd\/org .*template for Secret argocd\/declared/);
  });

  test('GIVEN ssh URLs in scp-like and ssh:// forms THEN the ssh template applies to both, and not to https', () => {
    for (const url of ['git@git.example.com:org/repo.git', 'ssh://git@git.example.com/org/repo', 'ssh://git@git.example.com/org/team/x']) {
      assert.equal(store.lookup(url)?.sshPrivateKey, KEY, url);
    }
    assert.equal(store.lookup('https://git.example.com/org/repo')?.sshPrivateKey, undefined);
    assert.equal(store.lookup('ssh://other@git.example.com/org/repo'), undefined);
  });

  test('GIVEN an OCI Helm registry declared without a scheme THEN oci:// and schemeless repoURLs both match', () => {
    const oci = new CredentialStore([secret('oci', 'repository', { url: 'registry.example.com/charts', type: 'helm', enableOCI: 'true', username: 'r', password: 'p' })]);
    assert.equal(oci.lookup('oci://registry.example.com/charts')?.enableOCI, true);
    assert.equal(oci.lookup('registry.example.com/charts')?.password, 'p');
    assert.equal(new CredentialStore([secret('t', 'repository', { url: 'oci://r.example/c', type: 'oci' })]).lookup('r.example/c')?.enableOCI, true);
  });

  test('prefixMatches never ends inside a host name', () => {
    assert.equal(prefixMatches('https://a.example/x', 'https://a.example'), true);
    assert.equal(prefixMatches('https://a.example.com/x', 'https://a.example'), false);
    assert.equal(prefixMatches('https://a.example/xyz', 'https://a.example/x'), true);
    assert.equal(prefixMatches('git@a.example/org/r', 'git@a.example'), true);
    assert.equal(prefixMatches('git@a.examplex/org/r', 'git@a.example'), false);
  });
});

describe('malformed Secrets', () => {
  const MALFORMED: ReadonlyArray<readonly [string, KubeObject, RegExp]> = [
    ['no url', secret('no-url', 'repository', { password: 'hidden-1' }), /Secret argocd\/no-url \(repository\) skipped: it has no "url"/],
    ['bad base64', { ...secret('b64', 'repository', { url: 'https://h/a' }), data: { url: b64('https://h/a'), password: 'not base64!hidden-2' } }, /Secret argocd\/b64 .*data\.password is not valid base64/],
    ['an unknown type', secret('type', 'repo-creds', { url: 'https://h', type: 'svn', password: 'hidden-3' }), /Secret argocd\/type .*"type" must be git, helm or oci/],
    ['a bad boolean', secret('bool', 'repository', { url: 'https://h/b', insecure: 'yes', password: 'hidden-4' }), /Secret argocd\/bool .*"insecure" must be "true" or "false"/],
    ['a key that is not a key', secret('key', 'repository', { url: 'git@h:o/r', sshPrivateKey: 'hidden-5-not-a-key' }), /Secret argocd\/key .*"sshPrivateKey" is not a PEM or OpenSSH private key/],
    ['data that is not a map', { ...secret('list', 'repository', {}), data: ['x'] }, /Secret argocd\/list .*data is not a map/],
    ['a file URL with a host', secret('file', 'repository', { url: 'file://host/x', password: 'hidden-6' }), /Secret argocd\/file .*not a valid URL/],
  ];
  for (const [what, object, reason] of MALFORMED) {
    test(`GIVEN a Secret with ${what} THEN it is skipped with a reason that names it and shows no value; the others still work`, () => {
      const good = secret('good', 'repository', { url: 'https://h/good', password: 'good-pw' });
      const store = new CredentialStore([object, good]);
      assert.equal(store.problems().length, 1, store.problems().join('\n'));
      assert.match(store.problems()[0] ?? '', reason);
      assert.doesNotMatch(store.problems().join('\n'), /hidden-|good-pw/);
      assert.equal(store.lookup('https://h/good')?.password, 'good-pw');
      assert.equal(store.size, 1);
    });
  }

  test('GIVEN two Secrets for one URL THEN the first by name is used and the other reported', () => {
    const store = new CredentialStore([secret('b', 'repository', { url: 'https://h/r', password: 'b-pw' }), secret('a', 'repository', { url: 'https://h/r.git', password: 'a-pw' })]);
    assert.equal(store.lookup('https://h/r')?.password, 'a-pw');
    assert.match(store.problems().join('\n'), /Secret argocd\/b \(repository\) ignored: Secret argocd\/a declares the same URL/);
  });

  test('GIVEN fields Launchpad does not support THEN the Secret is used and the ignored fields are named, not their values', () => {
    const store = new CredentialStore([secret('tls', 'repository', { url: 'https://h/t', password: 'p', tlsClientCertData: 'CERT', tlsClientCertKey: 'tls-key-value' })]);
    assert.equal(store.lookup('https://h/t')?.password, 'p');
    assert.match(store.problems().join('\n'), /Secret argocd\/tls \(repository\): tlsClientCertData, tlsClientCertKey not supported/);
    assert.doesNotMatch(store.problems().join('\n'), /tls-key-value/);
    assert.ok(store.secretValues().includes('tls-key-value'));
  });
});

describe('secret values for redaction', () => {
  test('GIVEN Secrets, even unusable ones THEN every secret value and its echoed forms are listed, longest first', () => {
    const store = new CredentialStore([
      secret('a', 'repository', { url: 'https://h/a', username: 'deploy-bot', password: 'p@ss word' }),
      secret('b', 'repository', { url: 'git@h:o/r', username: 'git', sshPrivateKey: KEY }),
      secret('broken', 'repository', { password: 'orphan-secret' }),
    ]);
    const values = store.secretValues();
    for (const value of ['deploy-bot', 'p@ss word', 'p%40ss%20word', b64('deploy-bot:p@ss word'), KEY, KEY.trim(), 'orphan-secret']) assert.ok(values.includes(value), value);
    assert.ok(!values.includes('git'), 'a short user name such as "git" is not redacted (it would mangle github.com)');
    assert.deepEqual(values, [...values].sort((x, y) => y.length - x.length || x.localeCompare(y)));
  });

  test('redactSecrets replaces longer secrets first', () => {
    assert.equal(redactSecrets('token abc and abcdef', ['abc', 'abcdef']), 'token *** and ***');
  });

  test('URL forms', () => {
    assert.equal(isSshURL('git@github.com:org/repo.git'), true);
    assert.equal(isSshURL('ssh://git@github.com/org/repo'), true);
    assert.equal(isSshURL('https://github.com/org/repo'), false);
    assert.equal(isHttpURL('HTTPS://github.com/org/repo'), true);
    assert.equal(isHttpURL('git@github.com:org/repo'), false);
  });
});

describe('git: askpass and ssh key plumbing', () => {
  test('GIVEN https credentials THEN git gets an askpass script and the values in its environment only', async () => {
    const auth = await withGitAuth('https://h/org/repo', { username: 'robot', password: 'pw-2', insecure: true }, (given) => Promise.resolve(given));
    assert.deepEqual(auth.config, ['-c', 'http.sslVerify=false', '-c', 'credential.helper=']);
    assert.equal(auth.env.LAUNCHPAD_GIT_USERNAME, 'robot');
    assert.equal(auth.env.LAUNCHPAD_GIT_PASSWORD, 'pw-2');
    assert.equal(auth.env.GIT_TERMINAL_PROMPT, '0');
    const askpass = auth.env.GIT_ASKPASS ?? '';
    assert.equal((await stat(askpass)).mode & 0o777, 0o700);
    assert.equal(await readFile(askpass, 'utf8'), ASKPASS_SCRIPT);
    assert.doesNotMatch(await readFile(askpass, 'utf8'), /robot|pw-2/, 'the script holds no secret');
    const env = { LAUNCHPAD_GIT_USERNAME: 'robot', LAUNCHPAD_GIT_PASSWORD: 'pw-2' };
    assert.equal((await runProcess(askpass, ["Username for 'https://h': "], { env })).stdout, 'robot\n');
    assert.equal((await runProcess(askpass, ["Password for 'https://robot@h': "], { env })).stdout, 'pw-2\n');
  });

  test('GIVEN no credentials, or credentials of the other form THEN git gets nothing', async () => {
    const capture = (given: GitAuth): Promise<GitAuth> => Promise.resolve(given);
    assert.equal(await withGitAuth('https://h/r', undefined, capture), NO_GIT_AUTH);
    assert.equal(await withGitAuth('git@h:o/r', { username: 'u', password: 'p' }, capture), NO_GIT_AUTH);
    assert.deepEqual(await withGitAuth('https://h/r', { sshPrivateKey: KEY }, capture), { config: [], env: {} });
    assert.deepEqual(await withGitAuth('http://h/r', { insecure: true }, capture), { config: [], env: {} }, 'sslVerify only matters for https');
  });

  test('GIT_SSH_COMMAND uses the key only, a private known-hosts file, never a prompt, with quoted paths', () => {
    assert.equal(
      gitSshCommand("/tmp/a b/it's/id", '/tmp/k/known_hosts'),
      "ssh -i '/tmp/a b/it'\\''s/id' -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile='/tmp/k/known_hosts' -o BatchMode=yes",
    );
  });

  test('GIVEN an ssh key THEN it is a 0600 file while the command runs and is gone afterwards, even when it fails', async () => {
    let keyFile = '';
    const seen = await withGitAuth('git@h:org/repo.git', { sshPrivateKey: KEY.replace(/\n/g, '\r\n').trim() }, async (auth) => {
      const command = auth.env.GIT_SSH_COMMAND ?? '';
      keyFile = /-i '([^']+)'/.exec(command)?.[1] ?? '';
      assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
      assert.equal((await stat(keyFile.replace(/\/id$/, ''))).mode & 0o777, 0o700);
      return readFile(keyFile, 'utf8');
    });
    assert.equal(seen, KEY, 'CRLF normalised, one final newline');
    await assert.rejects(stat(keyFile), /ENOENT/);
    await assert.rejects(withGitAuth('ssh://git@h/org/repo', { sshPrivateKey: KEY }, (auth) => {
      keyFile = /-i '([^']+)'/.exec(auth.env.GIT_SSH_COMMAND ?? '')?.[1] ?? '';
      return Promise.reject(new Error('boom'));
    }), /boom/);
    await assert.rejects(stat(keyFile), /ENOENT/);
  });
});

describe('helm: Secret credentials never on argv', () => {
  const base = { repoURL: 'https://charts.example.com/stable', chart: 'web', version: '1.2.3', untarDir: '/tmp/x' };
  test('GIVEN private config files THEN helm pulls launchpad-repo/<chart> through them', () => {
    const argv = helmPullArgs({ ...base, credentials: { username: 'u', password: 'helm-pw', insecure: true } }, { repositoryConfig: '/p/repositories.yaml', repositoryCache: '/p/cache' });
    assert.deepEqual(argv, ['pull', `${HELM_REPO_NAME}/web`, '--version', '1.2.3', '--insecure-skip-tls-verify', '--repository-config', '/p/repositories.yaml', '--repository-cache', '/p/cache', '--untar', '--untardir', '/tmp/x']);
    assert.ok(!argv.includes('helm-pw'));
    const oci = helmPullArgs({ ...base, repoURL: 'oci://r.example/charts', credentials: { username: 'u', password: 'helm-pw' } }, { registryConfig: '/p/registry.json' });
    assert.deepEqual(oci, ['pull', 'oci://r.example/charts/web', '--version', '1.2.3', '--registry-config', '/p/registry.json', '--untar', '--untardir', '/tmp/x']);
  });

  test('GIVEN a helm failure that echoes a secret THEN the error shows *** and the config files are gone', async () => {
    const files: string[] = [];
    const restore = setProcessRunner(async (_command, args, options) => {
      files.push(args[args.indexOf('--repository-config') + 1] ?? '');
      const written = await readFile(files[0] ?? '', 'utf8');
      assert.match(written, /"password":"helm-pw-3"/);
      const stderr = `Error: failed to fetch https://u:helm-pw-3@charts.example.com/web-1.2.3.tgz : 401 Unauthorized (helm-pw-3)`;
      throw new ToolError(`helm pull failed (exit 1): ${trimToolOutput(stderr, options?.redact)}`);
    });
    try {
      await assert.rejects(helmPull({ ...base, credentials: { username: 'u', password: 'helm-pw-3', source: 'Secret argocd/charts' }, indexed: { version: '1.2.3', urls: ['web-1.2.3.tgz'] }, redact: ['helm-pw-3'] }), (error: unknown) => {
        assert.ok(error instanceof SourceError);
        assert.match(error.message, /could not pull chart "web" version "1\.2\.3" from https:\/\/charts\.example\.com\/stable with the credentials of Secret argocd\/charts: authentication failed/);
        assert.doesNotMatch(error.message, /helm-pw-3/);
        return true;
      });
    } finally {
      restore();
    }
    await assert.rejects(stat(files[0] ?? ''), /ENOENT/);
  });
});

test('GIVEN objects that are not Secrets at all THEN the store ignores them', () => {
  const junk = [null, 'text', 42, { kind: 'Secret' }, { metadata: null }] as unknown as KubeObject[];
  const store = new CredentialStore(junk);
  assert.equal(store.size, 0);
  assert.deepEqual(store.problems(), []);
});
