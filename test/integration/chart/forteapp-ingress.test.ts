/**
 * GIVEN ingress values, WHEN the forteapp chart is rendered with the real helm, THEN the app is published through a
 * Traefik IngressRoute on websecure with the cert-manager certificate's Secret, and HTTP redirects to HTTPS.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, find, inventory, template } from './helpers.js';

const INGRESS = { ingress: { enabled: true, host: 'mcp10x.forteapps.net' } } as const;

test('ingress off: no IngressRoute, Middleware or Certificate', async () => {
  const kinds = (await template()).map((object) => object.kind);
  for (const kind of ['IngressRoute', 'Middleware', 'Certificate']) assert.ok(!kinds.includes(kind), `${kind} rendered without ingress`);
});

test('the HTTPS route: websecure, Host rule, the Service port, TLS from <name>-tls', async () => {
  const route = find(await template({ release: 'mcp10x', values: INGRESS }), 'IngressRoute', 'mcp10x');
  assert.equal(route.apiVersion, 'traefik.io/v1alpha1');
  assert.deepEqual(at(route, 'spec'), {
    entryPoints: ['websecure'],
    routes: [{ kind: 'Rule', match: 'Host(`mcp10x.forteapps.net`)', services: [{ name: 'mcp10x', port: 80 }] }],
    tls: { secretName: 'mcp10x-tls' },
  });
});

test('HTTP on "web" is redirected permanently to HTTPS through a redirectScheme Middleware', async () => {
  const objects = await template({ release: 'mcp10x', values: INGRESS });
  assert.deepEqual(at(find(objects, 'Middleware', 'mcp10x-redirect-https'), 'spec'), { redirectScheme: { scheme: 'https', permanent: true } });
  const http = find(objects, 'IngressRoute', 'mcp10x-http');
  assert.deepEqual(at(http, 'spec', 'entryPoints'), ['web']);
  assert.equal(at(http, 'spec', 'routes', 0, 'match'), 'Host(`mcp10x.forteapps.net`)');
  assert.deepEqual(at(http, 'spec', 'routes', 0, 'middlewares'), [{ name: 'mcp10x-redirect-https' }]);
});

test('ingress.redirectToHttps=false drops the redirect but keeps the HTTPS route', async () => {
  const objects = await template({ values: { ingress: { ...INGRESS.ingress, redirectToHttps: false } } });
  assert.deepEqual(inventory(objects).filter((entry) => /IngressRoute|Middleware/.test(entry)), ['IngressRoute/demo']);
});

test('the Certificate covers the host, writes the Secret the route reads, and defaults to Let\'s Encrypt', async () => {
  const objects = await template({ release: 'mcp10x', values: INGRESS });
  const certificate = find(objects, 'Certificate', 'mcp10x');
  assert.equal(certificate.apiVersion, 'cert-manager.io/v1');
  assert.deepEqual(at(certificate, 'spec', 'dnsNames'), ['mcp10x.forteapps.net']);
  assert.equal(at(certificate, 'spec', 'secretName'), at(find(objects, 'IngressRoute', 'mcp10x'), 'spec', 'tls', 'secretName'));
  assert.deepEqual(at(certificate, 'spec', 'issuerRef'), { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-prod' });
});

test('issuer, TLS secret, path and middlewares are configurable', async () => {
  const objects = await template({
    values: {
      ingress: {
        ...INGRESS.ingress,
        path: '/api',
        middlewares: [{ name: 'rate-limit' }],
        tls: { secretName: 'wildcard-forteapps' },
        certificate: { issuerRef: { kind: 'Issuer', name: 'letsencrypt-staging' } },
      },
    },
  });
  const route = find(objects, 'IngressRoute', 'demo');
  assert.equal(at(route, 'spec', 'routes', 0, 'match'), 'Host(`mcp10x.forteapps.net`) && PathPrefix(`/api`)');
  assert.deepEqual(at(route, 'spec', 'routes', 0, 'middlewares'), [{ name: 'rate-limit' }]);
  assert.equal(at(route, 'spec', 'tls', 'secretName'), 'wildcard-forteapps');
  const certificate = find(objects, 'Certificate', 'demo');
  assert.equal(at(certificate, 'spec', 'secretName'), 'wildcard-forteapps');
  assert.deepEqual(at(certificate, 'spec', 'issuerRef'), { group: 'cert-manager.io', kind: 'Issuer', name: 'letsencrypt-staging' });
});

test('ingress.certificate.enabled=false keeps TLS on the route but requests no Certificate', async () => {
  const objects = await template({ values: { ingress: { ...INGRESS.ingress, certificate: { enabled: false }, tls: { secretName: 'provided' } } } });
  assert.ok(!inventory(objects).includes('Certificate/demo'));
  assert.equal(at(find(objects, 'IngressRoute', 'demo'), 'spec', 'tls', 'secretName'), 'provided');
});
