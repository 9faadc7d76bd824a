import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { checkLogin, readAccounts } from '../../../src/api/auth/accounts.js';
import { parseOidcConfig } from '../../../src/api/auth/oidc.js';
import { generatePassword, hashPassword, verifyPassword } from '../../../src/api/auth/passwords.js';
import { decodeSession, encodeSession } from '../../../src/api/auth/session.js';
import { listTokens, verifyToken } from '../../../src/api/auth/tokens.js';
import type { KubeObject } from '../../../src/model/resource.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const secret = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, b64(value)])) });
const configMap = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm' }, data });

test('GIVEN bcrypt hashes THEN the right password matches, a wrong one or a malformed hash does not', async () => {
  const hash = await hashPassword('correct horse');
  assert.match(hash, /^\$2[aby]\$10\$/);
  assert.equal(await verifyPassword('correct horse', hash), true);
  assert.equal(await verifyPassword('wrong', hash), false);
  assert.equal(await verifyPassword('correct horse', 'plain-text'), false);
  assert.equal(await verifyPassword('anything', undefined), false);
  assert.notEqual(generatePassword(), generatePassword());
});

test('GIVEN argocd-cm accounts THEN login needs the login capability and an enabled account', async () => {
  const hash = await hashPassword('pw');
  const accounts = readAccounts(configMap({ 'accounts.alice': 'login', 'accounts.bot': 'apiKey', 'accounts.old': 'login', 'accounts.old.enabled': 'false' }),
    secret({ 'admin.password': hash, 'accounts.alice.password': hash, 'accounts.bot.password': hash, 'accounts.old.password': hash }));
  assert.equal((await checkLogin(accounts, 'admin', 'pw'))?.name, 'admin');
  assert.equal((await checkLogin(accounts, 'alice', 'pw'))?.name, 'alice');
  assert.equal(await checkLogin(accounts, 'bot', 'pw'), undefined, 'apiKey only');
  assert.equal(await checkLogin(accounts, 'old', 'pw'), undefined, 'disabled');
  assert.equal(await checkLogin(accounts, 'nobody', 'pw'), undefined);
  assert.equal(readAccounts(configMap({ 'admin.enabled': 'false' }), undefined).get('admin')?.enabled, false);
});

test('GIVEN session claims THEN an expired or malformed cookie value is refused', () => {
  const claims = { sub: 'alice', name: 'alice', groups: ['g'], via: 'local' as const, exp: Date.now() + 1000 };
  assert.deepEqual(decodeSession(encodeSession(claims)), claims);
  assert.equal(decodeSession(encodeSession({ ...claims, exp: Date.now() - 1 })), undefined);
  assert.equal(decodeSession('not-json'), undefined);
});

test('GIVEN stored tokens THEN only the exact, unexpired token verifies, and listing never shows a hash', () => {
  const hash = (text: string): string => createHash('sha256').update(text).digest('hex');
  const stored = secret({
    aaaaaaaaaaaaaaaa: JSON.stringify({ account: 'admin', hash: hash('A'.repeat(43)), createdAt: '2026-01-01T00:00:00Z', description: 'ci' }),
    bbbbbbbbbbbbbbbb: JSON.stringify({ account: 'admin', hash: hash('B'.repeat(43)), createdAt: '2026-01-02T00:00:00Z', expiresAt: '2026-01-03T00:00:00Z' }),
  });
  assert.equal(verifyToken(stored, `lpt_aaaaaaaaaaaaaaaa_${'A'.repeat(43)}`)?.account, 'admin');
  assert.equal(verifyToken(stored, `lpt_aaaaaaaaaaaaaaaa_${'A'.repeat(42)}C`), undefined);
  assert.equal(verifyToken(stored, `lpt_bbbbbbbbbbbbbbbb_${'B'.repeat(43)}`, Date.parse('2026-01-02T12:00:00Z'))?.id, 'bbbbbbbbbbbbbbbb');
  assert.equal(verifyToken(stored, `lpt_bbbbbbbbbbbbbbbb_${'B'.repeat(43)}`, Date.parse('2026-01-03T00:00:01Z')), undefined, 'expired');
  assert.equal(verifyToken(stored, 'Bearer nonsense'), undefined);
  assert.ok(!JSON.stringify(listTokens(stored)).includes('hash'));
  assert.deepEqual(listTokens(stored).map((record) => record.id), ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb']);
});

test('GIVEN oidc.config THEN $key secrets come from argocd-secret and a missing key is named', () => {
  const settings = parseOidcConfig('name: Keycloak\nissuer: https://kc.example.com/realms/main\nclientID: launchpad\nclientSecret: $oidc.keycloak.clientSecret\n', { 'oidc.keycloak.clientSecret': 's3' });
  assert.deepEqual(settings, { name: 'Keycloak', issuer: 'https://kc.example.com/realms/main', clientID: 'launchpad', clientSecret: 's3', requestedScopes: ['openid', 'profile', 'email', 'groups'] });
  assert.throws(() => parseOidcConfig('issuer: https://x\nclientID: a\nclientSecret: $missing\n', {}), /clientSecret \$missing: argocd-secret has no such key/);
  assert.equal(parseOidcConfig(undefined, {}), undefined);
  assert.throws(() => parseOidcConfig('clientID: a\n', {}), /needs issuer and clientID/);
});
