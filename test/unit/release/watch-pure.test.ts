import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../../src/errors.js';
import { resolveForge } from '../../../src/release/forge/index.js';
import { chooseTag, isNewer, lookupCredentials, parseImageName, parseWatchConfig } from '../../../src/release/watch/index.js';
import type { TagPolicy } from '../../../src/release/watch/index.js';

const TAGS = ['1.0.0', 'v1.2.0', '1.10.0', '2.0.0-rc.1', '2.0.0', 'latest', 'main-99-abc1234', 'main-100-def5678', 'sha-3f2a1c0'];
const noTimes = (): Promise<Date | undefined> => Promise.resolve(undefined);

describe('chooseTag', () => {
  const cases: ReadonlyArray<readonly [string, TagPolicy, string | undefined]> = [
    ['semver ^1.0.0: the highest 1.x (a v prefix allowed)', { kind: 'semver', range: '^1.0.0' }, '1.10.0'],
    ['semver >=1: 2.0.0, not its pre-release', { kind: 'semver', range: '>=1' }, '2.0.0'],
    ['semver ^3: nothing', { kind: 'semver', range: '^3' }, undefined],
    ['regex with a numeric group: the highest build, not the alphabetically last', { kind: 'regex', pattern: /^main-(\d+)-[0-9a-f]{7}$/u }, 'main-100-def5678'],
    ['regex without a group: the alphabetically last', { kind: 'regex', pattern: /^sha-/u }, 'sha-3f2a1c0'],
  ];
  for (const [name, policy, expected] of cases) {
    test(`GIVEN ${name} THEN ${expected ?? 'none'}`, async () => {
      assert.equal((await chooseTag(policy, TAGS, { createdAt: noTimes }))?.tag, expected);
    });
  }
  test('GIVEN newest THEN the tag built last (latest never counts, even if newest)', async () => {
    const times: Record<string, string> = { 'main-99-abc1234': '2025-02-01T00:00:00Z', 'sha-3f2a1c0': '2025-03-01T00:00:00Z', latest: '2025-04-01T00:00:00Z' };
    const createdAt = (tag: string): Promise<Date | undefined> => Promise.resolve(times[tag] === undefined ? undefined : new Date(times[tag]));
    assert.equal((await chooseTag({ kind: 'newest' }, TAGS, { createdAt }))?.tag, 'sha-3f2a1c0');
    assert.equal((await chooseTag({ kind: 'newest', pattern: /^main-/u }, TAGS, { createdAt }))?.tag, 'main-99-abc1234');
  });
  test('GIVEN allowTags THEN only matching tags compete', async () => {
    assert.equal((await chooseTag({ kind: 'semver', range: '*' }, TAGS, { createdAt: noTimes, allowTags: /^(?:1\.\d+\.\d+)$/u }))?.tag, '1.10.0');
  });
  test('GIVEN a candidate not above the current value THEN not newer (never bump backwards)', async () => {
    const policy: TagPolicy = { kind: 'semver', range: '*' };
    assert.equal(await isNewer(policy, { tag: '2.0.0', rank: '2.0.0' }, '2.1.0', noTimes), false);
    assert.equal(await isNewer(policy, { tag: '2.0.0', rank: '2.0.0' }, '1.9.9', noTimes), true);
    assert.equal(await isNewer(policy, { tag: '2.0.0', rank: '2.0.0' }, 'not-semver', noTimes), true);
  });
});

describe('parseImageName', () => {
  test('GIVEN registry names THEN host and repository as docker reads them', () => {
    assert.deepEqual(parseImageName('ghcr.io/fortedigital/10x', 'x'), { name: 'ghcr.io/fortedigital/10x', host: 'ghcr.io', credentialHost: 'ghcr.io', repository: 'fortedigital/10x' });
    assert.equal(parseImageName('127.0.0.1:5000/apps/web', 'x').host, '127.0.0.1:5000');
    assert.equal(parseImageName('nginx', 'x').repository, 'library/nginx');
    assert.equal(parseImageName('bitnami/redis', 'x').credentialHost, 'docker.io');
  });
  for (const bad of ['ghcr.io/org/app:1.0', 'ghcr.io/org/app@sha256:abc', 'Ghcr.io/Org/App']) {
    test(`GIVEN ${bad} THEN refused`, () => {
      assert.throws(() => parseImageName(bad, 'watch.yaml: apps[0].image'), InputError);
    });
  }
});

describe('docker config', () => {
  test('GIVEN auths in both forms THEN the credentials for the host', async () => {
    const config = { auths: { 'ghcr.io': { auth: Buffer.from('bot:s3cret:with-colon').toString('base64') }, 'https://index.docker.io/v1/': { username: 'hub', password: 'pw' } } };
    assert.deepEqual(await lookupCredentials(config, 'ghcr.io'), { username: 'bot', password: 's3cret:with-colon' });
    assert.deepEqual(await lookupCredentials(config, 'docker.io'), { username: 'hub', password: 'pw' });
    assert.equal(await lookupCredentials(config, 'quay.io'), undefined);
  });
});

describe('parseWatchConfig', () => {
  const good = 'repository: ../values\ninterval: 30s\nplainHTTP: [127.0.0.1:5000]\nauthor: Bot <bot@example.com>\napps:\n  - app: web\n    image: 127.0.0.1:5000/apps/web\n    policy: { semver: "^1.0.0" }\n  - app: api\n    cluster: prod\n    image: ghcr.io/org/api\n    policy: { newest: true }\n';
  test('GIVEN a watch file THEN repository resolved beside it, interval, apps with policies', () => {
    const config = parseWatchConfig(good, '/work/ci/watch.yaml');
    assert.equal(config.repository, '/work/values');
    assert.equal(config.intervalMs, 30_000);
    assert.deepEqual(config.apps.map((app) => [app.app, app.policy.kind]), [['web', 'semver'], ['api', 'newest']]);
    assert.deepEqual(config.author, { name: 'Bot', email: 'bot@example.com' });
  });
  const bad: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['no apps', 'repository: x\n', /apps: must list at least one app/],
    ['two policies', 'repository: x\napps:\n  - app: a\n    image: r.io/a\n    policy: { semver: "1", regex: "x" }\n', /apps\[0\]\.policy: must name exactly one/],
    ['a bad range', 'repository: x\napps:\n  - app: a\n    image: r.io/a\n    policy: { semver: "one" }\n', /apps\[0\]\.policy\.semver: "one" is not a semver range/],
    ['an image with a tag', 'repository: x\napps:\n  - app: a\n    image: r.io/a:1\n    policy: { newest: true }\n', /apps\[0\]\.image: image "r\.io\/a:1" names a tag/],
  ];
  for (const [name, text, message] of bad) {
    test(`GIVEN ${name} THEN an error naming the file and field`, () => {
      assert.throws(() => parseWatchConfig(text, '/w/watch.yaml'), (error: unknown) => error instanceof InputError && error.message.startsWith('/w/watch.yaml') && message.test(error.message));
    });
  }
});

describe('resolveForge', () => {
  test('GIVEN github.com and gitlab.com remotes THEN the forge, API and project from the URL; the token from the environment', () => {
    assert.deepEqual(resolveForge('git@github.com:fortedigital/helm-prod-values.git', {}, { GITHUB_TOKEN: 't1' }), { kind: 'github', apiURL: 'https://api.github.com', project: 'fortedigital/helm-prod-values', token: 't1' });
    assert.deepEqual(resolveForge('https://gitlab.com/group/sub/values.git', {}, { GITLAB_TOKEN: 't2' }), { kind: 'gitlab', apiURL: 'https://gitlab.com/api/v4', project: 'group/sub/values', token: 't2' });
    assert.equal(resolveForge('https://git.forteapps.net/Forte/helm-values', { forge: 'gitea' }, { LAUNCHPAD_FORGE_TOKEN: 't3' }).apiURL, 'https://git.forteapps.net/api/v1');
  });
  test('GIVEN an unknown host, or no token THEN a usage error saying what to pass', () => {
    assert.throws(() => resolveForge('https://git.example.com/a/b', {}, { GITEA_TOKEN: 'x' }), /--forge github\|gitea\|gitlab/);
    assert.throws(() => resolveForge('https://github.com/a/b', {}, {}), /set LAUNCHPAD_FORGE_TOKEN or GITHUB_TOKEN or GH_TOKEN/);
  });
});
