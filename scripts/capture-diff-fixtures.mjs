#!/usr/bin/env node
// Captures the fixtures of the diff tests (test/fixtures/diff/) from a real API server: starts a tier-1 control plane,
// server-side applies a Deployment, Service, ConfigMap and Secret with field manager "launchpad", changes some of them
// the way other actors do (kubectl scale), then server-side dry-run applies changed versions. Each live object and
// each dry-run result is written as <kind>-<state>.yaml, managedFields included.
//
// Usage: npm run build && node scripts/capture-diff-fixtures.mjs [--out test/fixtures/diff]
// Needs the control plane binaries (scripts/build-k8s.sh). Rewrites the files; review the git diff afterwards.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const outIndex = process.argv.indexOf('--out');
const outDir = outIndex === -1 ? join(root, 'test/fixtures/diff') : process.argv[outIndex + 1];
const { startControlPlane } = await import(join(root, 'dist/src/testing/index.js'));

const NS = 'shop';
const IMAGE = 'nginx:1.27';

/** The objects Launchpad would render; `variant` changes one thing at a time. */
const deployment = ({ name = 'web', replicas = 2, image = IMAGE, withReplicas = true } = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: NS, labels: { app: name }, annotations: { 'argocd.argoproj.io/tracking-id': `shop:apps/Deployment:${NS}/${name}` } },
  spec: {
    ...(withReplicas ? { replicas } : {}),
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          { name: 'web', image, ports: [{ containerPort: 8080, name: 'http' }], env: [{ name: 'MODE', value: 'production' }] },
          { name: 'metrics', image: 'prom/statsd-exporter:v0.28.0' },
        ],
      },
    },
  },
});

const service = () => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: NS, labels: { app: 'web' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});

const configMap = (data) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: NS }, data });

const secret = (fields) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-credentials', namespace: NS }, type: 'Opaque', ...fields });

const b64 = (text) => Buffer.from(text, 'utf8').toString('base64');

function kubectl(plane, args, input) {
  const result = spawnSync(plane.binaries.kubectl, ['--kubeconfig', plane.kubeconfigPath, ...args], { input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

const APPLY = ['apply', '--server-side', '--field-manager=launchpad', '--force-conflicts', '--show-managed-fields', '-o', 'json', '-f', '-'];

function apply(plane, object) {
  return JSON.parse(kubectl(plane, APPLY, JSON.stringify(object)));
}

function dryRun(plane, object) {
  return JSON.parse(kubectl(plane, [...APPLY, '--dry-run=server'], JSON.stringify(object)));
}

function get(plane, object) {
  const { kind, metadata } = object;
  return JSON.parse(kubectl(plane, ['get', kind, metadata.name, '-n', metadata.namespace, '--show-managed-fields', '-o', 'json']));
}

function write(name, object) {
  const header = `# Captured from kube-apiserver by scripts/capture-diff-fixtures.mjs — do not edit by hand.\n`;
  writeFileSync(join(outDir, `${name}.yaml`), header + stringify(object, { lineWidth: 0 }));
  console.log(`wrote ${name}.yaml`);
}

const plane = await startControlPlane({ tier: 1 });
try {
  mkdirSync(outDir, { recursive: true });
  kubectl(plane, ['create', 'namespace', NS]);

  // Deployment "web": applied with 2 replicas; dry-runs of the same, of 3 replicas, of another image.
  apply(plane, deployment());
  write('deployment-live', get(plane, deployment()));
  write('deployment-dry-run-identical', dryRun(plane, deployment()));
  write('deployment-dry-run-replicas-3', dryRun(plane, deployment({ replicas: 3 })));
  write('deployment-dry-run-image', dryRun(plane, deployment({ image: 'nginx:1.28' })));
  write('deployment-dry-run-create', dryRun(plane, deployment({ name: 'new-web' })));

  // Deployment "api": rendered without replicas (an HPA or a person scales it); kubectl scale owns spec.replicas.
  apply(plane, deployment({ name: 'api', withReplicas: false }));
  kubectl(plane, ['scale', 'deployment', 'api', '-n', NS, '--replicas=5']);
  write('deployment-scaled-live', get(plane, deployment({ name: 'api' })));
  write('deployment-scaled-dry-run', dryRun(plane, deployment({ name: 'api', withReplicas: false })));

  // Deployment "worker": rendered with 2 replicas, then scaled to 5 by kubectl; applying again would take it back.
  apply(plane, deployment({ name: 'worker' }));
  kubectl(plane, ['scale', 'deployment', 'worker', '-n', NS, '--replicas=5']);
  write('deployment-rescaled-live', get(plane, deployment({ name: 'worker' })));
  write('deployment-rescaled-dry-run', dryRun(plane, deployment({ name: 'worker' })));

  // Service: the server fills in clusterIP, sessionAffinity, type, protocol, …
  apply(plane, service());
  write('service-live', get(plane, service()));
  write('service-dry-run-identical', dryRun(plane, service()));

  // ConfigMap: a changed value, and a key dropped from the render.
  const data = { 'app.properties': 'color=blue\nsize=3\n', LOG_LEVEL: 'info' };
  apply(plane, configMap(data));
  write('configmap-live', get(plane, configMap(data)));
  write('configmap-dry-run-changed', dryRun(plane, configMap({ ...data, LOG_LEVEL: 'debug' })));
  write('configmap-dry-run-key-removed', dryRun(plane, configMap({ 'app.properties': data['app.properties'] })));

  // Secret: same values as stringData, a changed password, an added key.
  apply(plane, secret({ data: { username: b64('admin'), password: b64('s3cr3t-old') } }));
  write('secret-live', get(plane, secret({})));
  write('secret-dry-run-identical-stringdata', dryRun(plane, secret({ stringData: { username: 'admin', password: 's3cr3t-old' } })));
  write('secret-dry-run-changed', dryRun(plane, secret({ data: { username: b64('admin'), password: b64('s3cr3t-new') } })));
  write('secret-dry-run-key-added', dryRun(plane, secret({ data: { username: b64('admin'), password: b64('s3cr3t-old'), token: b64('t0ken-added') } })));
} finally {
  await plane.stop();
}
