/**
 * GIVEN auth values, WHEN the forteapp chart is rendered with the real helm, THEN the pods carry the annotations the
 * Kyverno auth-sidecar-injector acts on and the Service sends traffic through the sidecar's port.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/model/resource.js';
import { at, find, inventory, template, text } from './helpers.js';

function podAnnotations(objects: readonly KubeObject[]): unknown {
  return at(find(objects, 'Deployment', 'demo'), 'spec', 'template', 'metadata', 'annotations');
}

test('auth off: no auth annotations, the Service targets the app port directly', async () => {
  const objects = await template();
  assert.equal(podAnnotations(objects), undefined);
  assert.equal(at(find(objects, 'Service', 'demo'), 'spec', 'ports', 0, 'targetPort'), 'http');
});

test('token mode with an existing (sealed) Secret: annotations name it, the chart renders no Secret', async () => {
  const objects = await template({ values: { auth: { enabled: true, mode: 'token', existingSecret: 'app-tokens' } } });
  assert.deepEqual(podAnnotations(objects), {
    'policies.forteapps.io/auth': 'true',
    'policies.forteapps.io/auth-mode': 'token',
    'policies.forteapps.io/auth-token-secret-name': 'app-tokens',
    'policies.forteapps.io/auth-upstream-port': '3000',
  });
  assert.ok(!inventory(objects).some((entry) => entry.startsWith('Secret/')), 'the token Secret comes from the SealedSecret');
  assert.equal(at(find(objects, 'Service', 'demo'), 'spec', 'ports', 0, 'targetPort'), 'auth-proxy', 'traffic must pass the sidecar');
});

test('token mode with inline tokens renders <name>-auth-tokens and points the annotation at it', async () => {
  const tokens = ['tok-0123456789abcdef', 'tok-fedcba9876543210'];
  const objects = await template({ values: { auth: { enabled: true, token: { tokens } } } });
  const secret = find(objects, 'Secret', 'demo-auth-tokens');
  assert.equal(text(secret, 'stringData', 'tokens'), `${tokens.join('\n')}\n`, 'one token per line, as the sidecar reads them');
  assert.equal(at(podAnnotations(objects), 'policies.forteapps.io/auth-token-secret-name'), 'demo-auth-tokens');
});

test('oidc mode adds the issuer and client annotations and follows app.port upstream', async () => {
  const objects = await template({
    values: {
      app: { port: 8080 },
      auth: { enabled: true, mode: 'oidc', existingSecret: 'musicman-oidc', oidc: { issuerUrl: 'https://keycloak.forteapps.net/realms/forte', clientId: 'musicman' } },
    },
  });
  assert.deepEqual(podAnnotations(objects), {
    'policies.forteapps.io/auth': 'true',
    'policies.forteapps.io/auth-mode': 'oidc',
    'policies.forteapps.io/auth-token-secret-name': 'musicman-oidc',
    'policies.forteapps.io/auth-upstream-port': '8080',
    'policies.forteapps.io/auth-oidc-issuer-url': 'https://keycloak.forteapps.net/realms/forte',
    'policies.forteapps.io/auth-oidc-client-id': 'musicman',
  });
});

test('app.podAnnotations are kept but cannot switch authentication off', async () => {
  const objects = await template({
    values: {
      auth: { enabled: true, existingSecret: 'app-tokens' },
      app: { podAnnotations: { 'prometheus.io/scrape': 'true', 'policies.forteapps.io/auth': 'false' } },
    },
  });
  assert.equal(at(podAnnotations(objects), 'prometheus.io/scrape'), 'true');
  assert.equal(at(podAnnotations(objects), 'policies.forteapps.io/auth'), 'true');
});
