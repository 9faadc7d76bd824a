import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  MAX_WEBHOOK_BODY_BYTES,
  handleWebhook,
  pushMatchesSource,
  type WebhookPush,
  type WebhookRequest,
  type WebhookResult,
  type WebhookSecrets,
} from '../../../src/controller/webhook.js';

const GITHUB_SECRET = 'gh-Secret-7f3a9c1e55d2';
const GITEA_SECRET = 'gitea-Secret-0b8e4d2a91';
const GITLAB_SECRET = 'gl-Token-c4e19a77f0';
const SECRETS: WebhookSecrets = { github: GITHUB_SECRET, gitea: GITEA_SECRET, gitlab: GITLAB_SECRET };
const SECURE = { insecure: false } as const;
const COMMIT = '9f2c3b1e4d5a6978877665544332211aabbccdde';
const BEFORE = '1111111111111111111111111111111111111111';
const ZERO = '0000000000000000000000000000000000000000';

function hmac(secret: string, body: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function githubPush(ref = 'refs/heads/main', after: string = COMMIT): Record<string, unknown> {
  return {
    ref,
    before: BEFORE,
    after,
    created: false,
    deleted: after === ZERO,
    repository: {
      id: 1296269,
      name: 'helm-prod-values',
      full_name: 'fortedigital/helm-prod-values',
      private: true,
      html_url: 'https://github.com/fortedigital/helm-prod-values',
      url: 'https://github.com/fortedigital/helm-prod-values',
      git_url: 'git://github.com/fortedigital/helm-prod-values.git',
      ssh_url: 'git@github.com:fortedigital/helm-prod-values.git',
      clone_url: 'https://github.com/fortedigital/helm-prod-values.git',
      default_branch: 'main',
      master_branch: 'main',
    },
    pusher: { name: 'octocat', email: 'octocat@example.com' },
    head_commit: { id: after, message: 'Bump web to 1.4.2' },
  };
}

function githubRequest(body: Buffer, event = 'push', signature: string | null = `sha256=${hmac(GITHUB_SECRET, body)}`): WebhookRequest {
  const headers: Record<string, string> = { 'x-github-event': event, 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'content-type': 'application/json' };
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return { headers, body };
}

const GITEA_PUSH = {
  ref: 'refs/heads/develop',
  before: BEFORE,
  after: COMMIT,
  repository: {
    id: 12,
    full_name: 'Forte/launchpad',
    html_url: 'https://git.forteapps.net/Forte/launchpad',
    ssh_url: 'ssh://git@git.forteapps.net:2222/Forte/launchpad.git',
    clone_url: 'https://git.forteapps.net/Forte/launchpad.git',
    default_branch: 'main',
  },
  pusher: { login: 'ops' },
};

function gitlabPush(kind: 'push' | 'tag_push' = 'push'): Record<string, unknown> {
  return {
    object_kind: kind,
    event_name: kind,
    before: BEFORE,
    after: COMMIT,
    ref: kind === 'push' ? 'refs/heads/main' : 'refs/tags/v1.4.2',
    checkout_sha: COMMIT,
    project: {
      id: 15,
      name: 'forte-helm',
      web_url: 'https://gitlab.example.com/Forte/forte-helm',
      git_ssh_url: 'git@gitlab.example.com:Forte/forte-helm.git',
      git_http_url: 'https://gitlab.example.com/Forte/forte-helm.git',
      default_branch: 'main',
      ssh_url: 'git@gitlab.example.com:Forte/forte-helm.git',
      http_url: 'https://gitlab.example.com/Forte/forte-helm.git',
    },
    repository: {
      name: 'forte-helm',
      url: 'git@gitlab.example.com:Forte/forte-helm.git',
      homepage: 'https://gitlab.example.com/Forte/forte-helm',
      git_http_url: 'https://gitlab.example.com/Forte/forte-helm.git',
      git_ssh_url: 'git@gitlab.example.com:Forte/forte-helm.git',
    },
  };
}

function gitlabRequest(body: Buffer, event = 'Push Hook', token: string | null = GITLAB_SECRET): WebhookRequest {
  const headers: Record<string, string> = { 'X-Gitlab-Event': event, 'Content-Type': 'application/json' };
  if (token !== null) headers['X-Gitlab-Token'] = token;
  return { headers, body };
}

function asPush(result: WebhookResult): WebhookPush {
  assert.equal(result.kind, 'push', JSON.stringify(result));
  return result;
}

function assertRejected(result: WebhookResult, status: number): string {
  assert.equal(result.kind, 'rejected', JSON.stringify(result));
  assert.equal(result.status, status, result.reason);
  return result.reason;
}

describe('handleWebhook: GitHub', () => {
  test('GIVEN a signed push WHEN handled THEN every repository URL, the branch, commit and default branch are returned', () => {
    const push = asPush(handleWebhook(githubRequest(json(githubPush())), SECRETS, SECURE));
    assert.equal(push.provider, 'github');
    assert.deepEqual(push.repoURLs, [
      'https://github.com/fortedigital/helm-prod-values.git',
      'git@github.com:fortedigital/helm-prod-values.git',
      'git://github.com/fortedigital/helm-prod-values.git',
      'https://github.com/fortedigital/helm-prod-values',
    ]);
    assert.equal(push.branch, 'main');
    assert.equal(push.tag, undefined);
    assert.equal(push.commit, COMMIT);
    assert.equal(push.defaultBranch, 'main');
  });

  test('GIVEN a signed push with a form-encoded body WHEN handled THEN the payload field is read', () => {
    const body = Buffer.from(`payload=${encodeURIComponent(JSON.stringify(githubPush()))}`);
    const request = githubRequest(body);
    const result = handleWebhook({ ...request, headers: { ...request.headers, 'content-type': 'application/x-www-form-urlencoded' } }, SECRETS, SECURE);
    assert.equal(asPush(result).branch, 'main');
  });

  test('GIVEN a wrong signature WHEN handled THEN 401 and the signature is not echoed', () => {
    const body = json(githubPush());
    const wrong = `sha256=${hmac('not-the-secret', body)}`;
    const reason = assertRejected(handleWebhook(githubRequest(body, 'push', wrong), SECRETS, SECURE), 401);
    assert.ok(!reason.includes(wrong.slice(7)));
    assert.ok(!reason.includes(GITHUB_SECRET));
  });

  test('GIVEN a signature of another body, a sha1 signature or garbage WHEN handled THEN 401', () => {
    const body = json(githubPush());
    for (const signature of [`sha256=${hmac(GITHUB_SECRET, json(githubPush('refs/heads/evil')))}`, `sha1=${'a'.repeat(40)}`, 'sha256=xyz', '', hmac(GITHUB_SECRET, body)]) {
      assertRejected(handleWebhook(githubRequest(body, 'push', signature), SECRETS, SECURE), 401);
    }
  });

  test('GIVEN a secret but no signature header WHEN handled THEN 401 naming the header', () => {
    const reason = assertRejected(handleWebhook(githubRequest(json(githubPush()), 'push', null), SECRETS, SECURE), 401);
    assert.match(reason, /X-Hub-Signature-256/);
  });

  test('GIVEN no GitHub secret configured WHEN handled THEN 401 naming the argocd-secret key, accepted when insecure', () => {
    const request = githubRequest(json(githubPush()), 'push', null);
    for (const secrets of [{}, { github: '' }, { gitlab: GITLAB_SECRET }]) {
      const reason = assertRejected(handleWebhook(request, secrets, SECURE), 401);
      assert.match(reason, /webhook\.github\.secret/);
      assert.match(reason, /argocd-secret/);
    }
    assert.equal(asPush(handleWebhook(request, {}, { insecure: true })).commit, COMMIT);
  });

  test('GIVEN insecure but a secret configured WHEN the signature is wrong THEN still 401', () => {
    assertRejected(handleWebhook(githubRequest(json(githubPush()), 'push', `sha256=${'0'.repeat(64)}`), SECRETS, { insecure: true }), 401);
  });

  test('GIVEN a signed ping WHEN handled THEN ignored', () => {
    const body = json({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const result = handleWebhook(githubRequest(body, 'ping'), SECRETS, SECURE);
    assert.equal(result.kind, 'ignored');
    assert.equal(result.provider, 'github');
    assert.match(result.reason, /ping/);
  });

  test('GIVEN a signed pull_request event WHEN handled THEN ignored with the event named', () => {
    const result = handleWebhook(githubRequest(json({ action: 'opened' }), 'pull_request'), SECRETS, SECURE);
    assert.ok(result.kind === 'ignored' && result.reason.includes('"pull_request"'), JSON.stringify(result));
  });

  test('GIVEN a signed tag push and a branch deletion WHEN handled THEN tag, and branch without commit', () => {
    const tag = asPush(handleWebhook(githubRequest(json(githubPush('refs/tags/v1.4.2'))), SECRETS, SECURE));
    assert.deepEqual([tag.branch, tag.tag, tag.commit], [undefined, 'v1.4.2', COMMIT]);
    const deleted = asPush(handleWebhook(githubRequest(json(githubPush('refs/heads/feature/x', ZERO))), SECRETS, SECURE));
    assert.deepEqual([deleted.branch, deleted.tag, deleted.commit], ['feature/x', undefined, undefined]);
  });
});

describe('handleWebhook: Gitea, Gogs and GitLab', () => {
  test('GIVEN a signed Gitea push (with X-GitHub-Event too) WHEN handled THEN Gitea headers win', () => {
    const body = json(GITEA_PUSH);
    const headers = { 'X-Gitea-Event': 'push', 'X-GitHub-Event': 'push', 'X-Gogs-Event': 'push', 'X-Gitea-Signature': hmac(GITEA_SECRET, body) };
    const push = asPush(handleWebhook({ headers, body }, SECRETS, SECURE));
    assert.equal(push.provider, 'gitea');
    assert.deepEqual(push.repoURLs, [GITEA_PUSH.repository.clone_url, GITEA_PUSH.repository.ssh_url, GITEA_PUSH.repository.html_url]);
    assert.deepEqual([push.branch, push.commit, push.defaultBranch], ['develop', COMMIT, 'main']);
    const signedWithGithubSecret = { ...headers, 'X-Gitea-Signature': hmac(GITHUB_SECRET, body), 'X-Hub-Signature-256': `sha256=${hmac(GITHUB_SECRET, body)}` };
    assertRejected(handleWebhook({ headers: signedWithGithubSecret, body }, SECRETS, SECURE), 401);
  });

  test('GIVEN a Gogs push WHEN handled THEN it is verified with the Gitea secret', () => {
    const body = json(GITEA_PUSH);
    const push = asPush(handleWebhook({ headers: { 'x-gogs-event': 'push', 'x-gogs-signature': hmac(GITEA_SECRET, body) }, body }, SECRETS, SECURE));
    assert.equal(push.provider, 'gitea');
    const reason = assertRejected(handleWebhook({ headers: { 'x-gogs-event': 'push' }, body }, {}, SECURE), 401);
    assert.match(reason, /webhook\.gitea\.secret/);
    assert.match(reason, /webhook\.gogs\.secret/);
  });

  test('GIVEN a GitLab push with the token WHEN handled THEN project and repository URLs are returned', () => {
    const push = asPush(handleWebhook(gitlabRequest(json(gitlabPush())), SECRETS, SECURE));
    assert.equal(push.provider, 'gitlab');
    assert.deepEqual(push.repoURLs, [
      'https://gitlab.example.com/Forte/forte-helm.git',
      'git@gitlab.example.com:Forte/forte-helm.git',
      'https://gitlab.example.com/Forte/forte-helm',
    ]);
    assert.deepEqual([push.branch, push.tag, push.commit, push.defaultBranch], ['main', undefined, COMMIT, 'main']);
  });

  test('GIVEN a GitLab push with a wrong, longer, shorter or missing token WHEN handled THEN 401', () => {
    for (const token of ['wrong', `${GITLAB_SECRET}x`, GITLAB_SECRET.slice(0, -1), '', null]) {
      const reason = assertRejected(handleWebhook(gitlabRequest(json(gitlabPush()), 'Push Hook', token), SECRETS, SECURE), 401);
      assert.ok(!reason.includes(GITLAB_SECRET.slice(0, 6)), reason);
    }
    assert.match(assertRejected(handleWebhook(gitlabRequest(json(gitlabPush()), 'Push Hook', null), {}, SECURE), 401), /webhook\.gitlab\.secret/);
  });

  test('GIVEN a GitLab tag push and system hooks WHEN handled THEN tag pushes and push system hooks refresh', () => {
    const tag = asPush(handleWebhook(gitlabRequest(json(gitlabPush('tag_push')), 'Tag Push Hook'), SECRETS, SECURE));
    assert.deepEqual([tag.branch, tag.tag], [undefined, 'v1.4.2']);
    assert.equal(asPush(handleWebhook(gitlabRequest(json(gitlabPush()), 'System Hook'), SECRETS, SECURE)).branch, 'main');
    const other = handleWebhook(gitlabRequest(json({ object_kind: 'merge_request' }), 'System Hook'), SECRETS, SECURE);
    assert.equal(other.kind, 'ignored');
    assert.equal(handleWebhook(gitlabRequest(json({}), 'Merge Request Hook'), SECRETS, SECURE).kind, 'ignored');
  });
});

describe('handleWebhook: malformed requests', () => {
  test('GIVEN a body of 1 MiB + 1 WHEN handled THEN 413 before anything else', () => {
    const body = Buffer.alloc(MAX_WEBHOOK_BODY_BYTES + 1, 0x20);
    assertRejected(handleWebhook({ headers: {}, body }, SECRETS, SECURE), 413);
    assertRejected(handleWebhook(githubRequest(body), SECRETS, SECURE), 413);
    assert.match(assertRejected(handleWebhook(githubRequest(Buffer.alloc(MAX_WEBHOOK_BODY_BYTES, 0x20)), SECRETS, SECURE), 400), /not JSON/);
  });

  test('GIVEN no provider header WHEN handled THEN 400', () => {
    assertRejected(handleWebhook({ headers: { 'content-type': 'application/json' }, body: json(githubPush()) }, SECRETS, SECURE), 400);
  });

  test('GIVEN a signed body that is not JSON, or not an object WHEN handled THEN 400', () => {
    assert.match(assertRejected(handleWebhook(githubRequest(Buffer.from('{"ref": "refs/heads/main",')), SECRETS, SECURE), 400), /not JSON/);
    assertRejected(handleWebhook(githubRequest(json([githubPush()])), SECRETS, SECURE), 400);
    assertRejected(handleWebhook(githubRequest(json(null)), SECRETS, SECURE), 400);
  });

  test('GIVEN hostile field types WHEN handled THEN fields are ignored or the push is rejected, never thrown', () => {
    const hostile = { ref: ['refs/heads/main'], after: { id: COMMIT }, repository: { clone_url: 42, ssh_url: ['x'], html_url: 'https://github.com/org/repo', default_branch: {} } };
    const push = asPush(handleWebhook(githubRequest(json(hostile)), SECRETS, SECURE));
    assert.deepEqual([push.repoURLs, push.branch, push.commit, push.defaultBranch], [['https://github.com/org/repo'], undefined, undefined, undefined]);
    for (const payload of [{ repository: [] }, { repository: 'https://github.com/org/repo' }, { ref: 'refs/heads/main' }, { __proto__: { repository: { url: 'x' } } }]) {
      assertRejected(handleWebhook(githubRequest(json(payload)), SECRETS, SECURE), 400);
    }
    const weird = { headers: { 'X-GitHub-Event': ['push', 'ping'], 'x-hub-signature-256': [] as string[], other: undefined }, body: json(githubPush()) };
    assertRejected(handleWebhook(weird, SECRETS, SECURE), 401);
  });
});

const PROVIDER_HEADERS = ['x-github-event', 'X-Gitea-Event', 'x-gogs-event', 'X-Gitlab-Event'] as const;
const EVENTS = ['ping', 'Tag Push Hook', 'System Hook', 'issues', ''];

/** A payload that is sometimes a plausible push with random pieces, sometimes any JSON at all. */
const payloadArbitrary = fc.oneof(
  fc.jsonValue(),
  fc.record({
    ref: fc.oneof(fc.constantFrom('refs/heads/main', 'refs/tags/v1', 'refs/heads/', 'main'), fc.jsonValue()),
    after: fc.oneof(fc.constantFrom(COMMIT, ZERO, COMMIT.toUpperCase()), fc.jsonValue()),
    object_kind: fc.oneof(fc.constantFrom('push', 'tag_push'), fc.jsonValue()),
    repository: fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('clone_url', 'ssh_url', 'url', 'default_branch', 'homepage', '__proto__'), fc.oneof(fc.webUrl(), fc.jsonValue()))),
    project: fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('git_http_url', 'web_url', 'default_branch', 'constructor'), fc.oneof(fc.webUrl(), fc.string(), fc.jsonValue()))),
  }),
);

const requestArbitrary = fc.record({
  provider: fc.constantFrom(...PROVIDER_HEADERS),
  event: fc.oneof({ arbitrary: fc.constantFrom('push', 'Push Hook'), weight: 3 }, { arbitrary: fc.constantFrom(...EVENTS), weight: 2 }, { arbitrary: fc.string({ maxLength: 20 }), weight: 1 }),
  payload: payloadArbitrary,
  raw: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.string({ maxLength: 200 }), weight: 1 }),
  signing: fc.constantFrom('valid', 'wrong', 'missing', 'array'),
  secrets: fc.constantFrom<WebhookSecrets>(SECRETS, {}, { github: GITHUB_SECRET }, { gitlab: '' }),
  insecure: fc.boolean(),
  extra: fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), fc.constant(undefined)), { maxKeys: 4 }),
});

function signatureHeaders(provider: string, signing: string, body: Buffer): Record<string, string | string[]> {
  const secret = provider === 'x-github-event' ? GITHUB_SECRET : provider === 'X-Gitlab-Event' ? GITLAB_SECRET : GITEA_SECRET;
  const value = provider === 'X-Gitlab-Event' ? secret : signing === 'wrong' ? hmac('nope', body) : hmac(secret, body);
  const header = provider === 'x-github-event' ? 'x-hub-signature-256' : provider === 'X-Gitlab-Event' ? 'x-gitlab-token' : provider === 'x-gogs-event' ? 'X-Gogs-Signature' : 'X-Gitea-Signature';
  const signed = provider === 'x-github-event' ? `sha256=${value}` : value;
  if (signing === 'missing') return {};
  if (signing === 'array') return { [header]: [signed, 'second'] };
  return { [header]: signing === 'wrong' && provider === 'X-Gitlab-Event' ? `${signed}!` : signed };
}

describe('handleWebhook: property (fixed seed)', () => {
  test('GIVEN random headers and JSON WHEN handled THEN one of the three kinds, never a throw, never a secret in a reason', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(requestArbitrary, (input) => {
        const body = Buffer.from(input.raw ?? JSON.stringify(input.payload), 'utf8');
        const headers = { ...input.extra, [input.provider]: input.event, ...signatureHeaders(input.provider, input.signing, body) };
        const result = handleWebhook({ headers, body }, input.secrets, { insecure: input.insecure });
        kinds.add(result.kind);
        assert.ok(['push', 'ignored', 'rejected'].includes(result.kind));
        const text = JSON.stringify(result);
        for (const secret of [GITHUB_SECRET, GITEA_SECRET, GITLAB_SECRET]) assert.ok(!text.includes(secret), text);
        if (result.kind === 'rejected') assert.ok([400, 401, 403, 413].includes(result.status));
        if (result.kind === 'push') {
          assert.ok(result.repoURLs.length > 0 && result.repoURLs.every((url) => typeof url === 'string'));
          for (const value of [result.branch, result.tag, result.commit, result.defaultBranch]) assert.ok(value === undefined || typeof value === 'string');
          assert.equal(typeof pushMatchesSource(result, { repoURL: result.repoURLs[0] ?? '', targetRevision: input.event }), 'boolean');
        }
      }),
      { seed: 20240611, numRuns: 300 },
    );
    assert.deepEqual([...kinds].sort(), ['ignored', 'push', 'rejected']);
  });
});

function pushOf(overrides: Partial<WebhookPush> = {}): WebhookPush {
  return {
    kind: 'push',
    provider: 'github',
    repoURLs: ['https://github.com/fortedigital/helm-prod-values.git', 'git@github.com:fortedigital/helm-prod-values.git', 'https://github.com/fortedigital/helm-prod-values'],
    branch: 'main',
    tag: undefined,
    commit: COMMIT,
    defaultBranch: 'main',
    ...overrides,
  };
}

describe('pushMatchesSource', () => {
  const tag = pushOf({ branch: undefined, tag: 'v1.4.2' });
  const cases: ReadonlyArray<readonly [string, WebhookPush, string, string | undefined, boolean]> = [
    ['https source, no revision', pushOf(), 'https://github.com/fortedigital/helm-prod-values', undefined, true],
    ['scp-like ssh source', pushOf(), 'git@github.com:fortedigital/helm-prod-values.git', 'HEAD', true],
    ['ssh:// source', pushOf(), 'ssh://git@github.com/fortedigital/helm-prod-values', 'HEAD', true],
    ['ssh source, push lists only https', pushOf({ repoURLs: ['https://github.com/fortedigital/helm-prod-values'] }), 'git@github.com:fortedigital/helm-prod-values.git', '', true],
    ['https source, push lists only ssh', pushOf({ repoURLs: ['git@github.com:fortedigital/helm-prod-values.git'] }), 'https://github.com/fortedigital/helm-prod-values/', '', true],
    ['case and .git differ', pushOf(), 'https://GitHub.com/FORTEDIGITAL/Helm-Prod-Values.git', 'HEAD', true],
    ['credentials in the source URL', pushOf(), 'https://user:token@github.com/fortedigital/helm-prod-values.git', 'HEAD', true],
    ['another repository', pushOf(), 'https://github.com/fortedigital/helm-dev-values', 'HEAD', false],
    ['another host', pushOf(), 'https://gitlab.com/fortedigital/helm-prod-values', 'HEAD', false],
    ['HEAD, a non-default branch pushed', pushOf({ branch: 'feature/x' }), 'https://github.com/fortedigital/helm-prod-values', 'HEAD', false],
    ['HEAD, default branch unknown', pushOf({ branch: 'feature/x', defaultBranch: undefined }), 'https://github.com/fortedigital/helm-prod-values', 'HEAD', true],
    ['HEAD, a tag pushed', tag, 'https://github.com/fortedigital/helm-prod-values', 'HEAD', false],
    ['the pushed branch', pushOf({ branch: 'release/1.4' }), 'https://github.com/fortedigital/helm-prod-values', 'release/1.4', true],
    ['refs/heads/ form of the pushed branch', pushOf(), 'https://github.com/fortedigital/helm-prod-values', 'refs/heads/main', true],
    ['another branch', pushOf(), 'https://github.com/fortedigital/helm-prod-values', 'develop', false],
    ['branch names are case-sensitive', pushOf(), 'https://github.com/fortedigital/helm-prod-values', 'Main', false],
    ['the pushed tag', tag, 'https://github.com/fortedigital/helm-prod-values', 'v1.4.2', true],
    ['refs/tags/ form of the pushed tag', tag, 'https://github.com/fortedigital/helm-prod-values', 'refs/tags/v1.4.2', true],
    ['refs/heads/ form naming the pushed tag', tag, 'https://github.com/fortedigital/helm-prod-values', 'refs/heads/v1.4.2', false],
    ['the pushed commit SHA', pushOf(), 'https://github.com/fortedigital/helm-prod-values', COMMIT, true],
    ['the pushed commit, abbreviated, upper-case', pushOf(), 'https://github.com/fortedigital/helm-prod-values', COMMIT.slice(0, 8).toUpperCase(), true],
    ['another commit SHA', pushOf(), 'https://github.com/fortedigital/helm-prod-values', BEFORE, false],
    ['a SHA, branch deleted', pushOf({ commit: undefined }), 'https://github.com/fortedigital/helm-prod-values', COMMIT, false],
    ['a range the pushed tag satisfies', tag, 'https://github.com/fortedigital/helm-prod-values', '^1.2.0', true],
    ['a Masterminds range with a comma', tag, 'https://github.com/fortedigital/helm-prod-values', '>=1.0, <2.0', true],
    ['a range the pushed tag does not satisfy', tag, 'https://github.com/fortedigital/helm-prod-values', '~2.0', false],
    ['a range, a branch pushed', pushOf(), 'https://github.com/fortedigital/helm-prod-values', '^1.2.0', false],
    ['a range, a prefixed tag pushed', pushOf({ branch: undefined, tag: 'web/v1.4.2' }), 'https://github.com/fortedigital/helm-prod-values', '^1.2.0', true],
    ['a range, ref unknown', pushOf({ branch: undefined }), 'https://github.com/fortedigital/helm-prod-values', '1.x', true],
  ];
  for (const [name, push, repoURL, targetRevision, expected] of cases) {
    test(`GIVEN ${name} WHEN matched THEN ${expected}`, () => {
      const source = targetRevision === undefined ? { repoURL } : { repoURL, targetRevision };
      assert.equal(pushMatchesSource(push, source), expected);
    });
  }

  test('GIVEN a Gitea push with an ssh:// URL on a custom port WHEN matched against the scp-like form THEN true', () => {
    const push = pushOf({ provider: 'gitea', repoURLs: ['ssh://git@git.forteapps.net:2222/Forte/launchpad.git'] });
    assert.ok(pushMatchesSource(push, { repoURL: 'https://git.forteapps.net/Forte/launchpad' }));
  });

  test('GIVEN random strings WHEN matched THEN a boolean, never a throw', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 4 }), fc.string(), fc.option(fc.string(), { nil: undefined }), (urls, repoURL, targetRevision) => {
        const source = targetRevision === undefined ? { repoURL } : { repoURL, targetRevision };
        assert.equal(typeof pushMatchesSource(pushOf({ repoURLs: urls }), source), 'boolean');
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('handleWebhook: changed files', () => {
  test('GIVEN a push listing its commits THEN every added, modified and removed path is returned once; without commits none are', () => {
    const body = { ...githubPush(), commits: [
      { id: BEFORE, added: ['apps/web/values.yaml'], modified: ['/charts/app/values.yaml'], removed: [] },
      { id: COMMIT, added: [], modified: ['apps/web/values.yaml', 7, null], removed: ['old/file.yaml'] },
      'not a commit',
    ] };
    const push = asPush(handleWebhook(githubRequest(json(body)), SECRETS, SECURE));
    assert.deepEqual(push.changedFiles, ['apps/web/values.yaml', 'charts/app/values.yaml', 'old/file.yaml']);
    assert.equal(asPush(handleWebhook(githubRequest(json(githubPush())), SECRETS, SECURE)).changedFiles, undefined);
  });
});
