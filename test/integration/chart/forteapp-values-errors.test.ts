/**
 * GIVEN values that would deploy something broken or unauditable, WHEN the forteapp chart is rendered with the real
 * helm, THEN the render fails and the user reads why and what to do — from the chart's checks or its values schema.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { template, templateError } from './helpers.js';

interface Case {
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly bare?: boolean;
  readonly message: RegExp;
}

const CHART_CHECKS: readonly Case[] = [
  {
    name: 'the image tag "latest"',
    values: { app: { image: { tag: 'latest' } } },
    message: /forteapp: app\.image\.tag must not be "latest": a moving tag cannot be rolled back or audited .*pin an exact version such as 2\.0\.4/,
  },
  { name: 'the image tag "Latest", whatever the case', values: { app: { image: { tag: 'Latest' } } }, message: /app\.image\.tag must not be "latest"/ },
  {
    name: 'an empty image tag',
    values: { app: { image: { tag: '' } } },
    message: /forteapp: app\.image\.tag is empty; pin an exact version such as 2\.0\.4 \(an empty tag means "latest", which the platform forbids\)/,
  },
  {
    name: 'no image at all',
    values: {},
    bare: true,
    message: /forteapp: app\.image\.repository is required, e\.g\. ghcr\.io\/fortedigital\/10x/,
  },
  {
    name: 'a tag smuggled into the repository',
    values: { app: { image: { repository: 'ghcr.io/fortedigital/10x:latest' } } },
    message: /app\.image\.repository "ghcr\.io\/fortedigital\/10x:latest" contains a tag or digest; put the version in app\.image\.tag/,
  },
  {
    name: 'PORT in extraEnv that disagrees with app.port',
    values: { app: { extraEnv: [{ name: 'PORT', value: '8080' }] } },
    message: /forteapp: app\.extraEnv sets PORT=8080 but app\.port is 3000; set app\.port to the port the app listens on/,
  },
  { name: 'ingress without a host', values: { ingress: { enabled: true } }, message: /forteapp: ingress\.host is required when ingress\.enabled is true/ },
  {
    name: 'token auth without a secret or tokens',
    values: { auth: { enabled: true, mode: 'token' } },
    message: /forteapp: auth\.mode token needs auth\.existingSecret \(a Secret with key "tokens", e\.g\. from a SealedSecret\) or auth\.token\.tokens/,
  },
  {
    name: 'oidc auth without issuer, client and secret',
    values: { auth: { enabled: true, mode: 'oidc', existingSecret: 'x' } },
    message: /forteapp: auth\.mode oidc needs auth\.oidc\.issuerUrl, auth\.oidc\.clientId and auth\.existingSecret/,
  },
  {
    name: 'a database without credentials',
    values: { database: { enabled: true } },
    message: /forteapp: database\.enabled needs database\.credentialsSecret, an existing Secret/,
  },
  {
    name: 'autoscaling with min above max',
    values: { autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 2 } },
    message: /forteapp: autoscaling\.minReplicas \(5\) is greater than autoscaling\.maxReplicas \(2\)/,
  },
];

const SCHEMA_CHECKS: readonly Case[] = [
  { name: 'a typo in a key', values: { app: { imgae: { tag: '1.0.0' } } }, message: /at '\/app': additional properties 'imgae' not allowed/ },
  { name: 'an unknown top-level key', values: { ingres: { enabled: true } }, message: /additional properties 'ingres' not allowed/ },
  { name: 'a numeric tag (2.10 would become 2.1)', values: { app: { image: { tag: 2.1 } } }, message: /at '\/app\/image\/tag': got number, want string/ },
  { name: 'an unknown auth mode', values: { auth: { mode: 'basic' } }, message: /at '\/auth\/mode': value must be one of 'token', 'oidc'/ },
  { name: 'a port out of range', values: { app: { port: 70000 } }, message: /at '\/app\/port': maximum: got 70,000, want 65,535/ },
  { name: 'a URL where a host name belongs', values: { ingress: { enabled: true, host: 'https://mcp10x.forteapps.net' } }, message: /at '\/ingress\/host': 'https:\/\/mcp10x\.forteapps\.net' does not match pattern/ },
  { name: 'an env value that is not a string', values: { app: { extraEnv: [{ name: 'PORT', value: 3000 }] } }, message: /at '\/app\/extraEnv\/0\/value': got number, want string/ },
  { name: 'an unknown issuer kind', values: { ingress: { certificate: { issuerRef: { kind: 'Vault', name: 'x' } } } }, message: /at '\/ingress\/certificate\/issuerRef\/kind': value must be one of 'ClusterIssuer', 'Issuer'/ },
];

for (const check of CHART_CHECKS) {
  test(`chart check: ${check.name} fails the render with a reason`, async () => {
    const stderr = await templateError({ values: check.values, ...(check.bare === true ? { bare: true } : {}) });
    assert.match(stderr, check.message);
  });
}

for (const check of SCHEMA_CHECKS) {
  test(`values schema: ${check.name} is rejected before rendering`, async () => {
    const stderr = await templateError({ values: check.values });
    assert.match(stderr, /values don't meet the specifications of the schema\(s\)/);
    assert.match(stderr, check.message);
  });
}

test('a pinned tag, a matching PORT and complete auth pass every check (the checks are not over-eager)', async () => {
  const objects = await template({
    values: {
      app: { image: { tag: '2.0.4' }, extraEnv: [{ name: 'PORT', value: '3000' }] },
      ingress: { enabled: true, host: 'mcp10x.forteapps.net' },
      auth: { enabled: true, mode: 'oidc', existingSecret: 'oidc', oidc: { issuerUrl: 'https://keycloak.forteapps.net/realms/forte', clientId: 'mcp10x' } },
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 2 },
    },
  });
  assert.equal(objects.filter((object) => object.kind === 'Deployment').length, 1);
});
