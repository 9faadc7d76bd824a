/**
 * The pieces of the test control plane that need no Kubernetes binaries: what each component is told (loopback
 * only), the kubeconfig, the certificates, kwok's stages, CI's refusal to skip, and the sweep of abandoned folders.
 */
import { KubeConfig } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ToolError } from '../../src/errors.js';
import { apiserverArgs, controllerManagerArgs, controlPlaneLayout, etcdArgs, kwokArgs, schedulerArgs } from '../../src/local/control-plane/components.js';
import { renderKubeconfig } from '../../src/local/control-plane/kubeconfig.js';
import { renderKwokStages } from '../../src/local/control-plane/kwok-stages.js';
import { createWorkspace, sweepStaleWorkspaces } from '../../src/local/control-plane/workspace.js';
import { controlPlaneSkipReason, createCertificateAuthority, issueCertificate } from '../../src/testing/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'launchpad-cp-parts-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('component command lines', () => {
  const layout = controlPlaneLayout('/tmp/cp');
  const ports = { etcdClient: 1001, etcdPeer: 1002, apiserver: 1003, controllerManager: 1004, scheduler: 1005, kwok: 1006 };
  const all = { etcd: etcdArgs(layout, ports), apiserver: apiserverArgs(layout, ports), controllerManager: controllerManagerArgs(layout, ports), scheduler: schedulerArgs(layout, ports), kwok: kwokArgs(layout, ports) };

  for (const [name, args] of Object.entries(all)) {
    test(`${name} listens on and advertises 127.0.0.1 only`, () => {
      const addresses = args.filter((arg) => /^--(listen|advertise|bind|initial-advertise|server-address|initial-cluster)/.test(arg));
      for (const arg of addresses) assert.match(arg, /127\.0\.0\.1/, arg);
      assert.ok(!args.some((arg) => arg.includes('0.0.0.0')), `${name} never binds every interface`);
    });
  }

  test('the API server trusts our CA for clients and uses RBAC', () => {
    assert.ok(all.apiserver.includes('--client-ca-file=/tmp/cp/pki/ca.crt'));
    assert.ok(all.apiserver.includes('--authorization-mode=Node,RBAC'));
    assert.ok(all.apiserver.includes('--advertise-address=127.0.0.1'));
  });
});

test('the admin kubeconfig loads in @kubernetes/client-node and points at the server', () => {
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromString(renderKubeconfig({ server: 'https://127.0.0.1:6443', caPem: 'CA', clientCertPem: 'CERT', clientKeyPem: 'KEY' }));
  assert.equal(kubeconfig.getCurrentCluster()?.server, 'https://127.0.0.1:6443');
  assert.equal(Buffer.from(kubeconfig.getCurrentUser()?.certData ?? '', 'base64').toString(), 'CERT');
});

test('an issued certificate carries the requested IP and DNS names and chains to its CA', async () => {
  const ca = await createCertificateAuthority({ dir: scratch });
  const issued = await issueCertificate(ca, { dir: scratch, name: 'webhook', commonName: 'webhook', ips: ['127.0.0.1'], dnsNames: ['localhost'] });
  const cert = new X509Certificate(issued.certPem);
  assert.equal(cert.subjectAltName, 'IP Address:127.0.0.1, DNS:localhost');
  assert.ok(cert.checkIssued(new X509Certificate(ca.certPem)));
  assert.ok(cert.checkPrivateKey(await import('node:crypto').then((crypto) => crypto.createPrivateKey(issued.keyPem))));
});

test('a client certificate puts its organizations in the subject (Kubernetes groups)', async () => {
  const ca = await createCertificateAuthority({ dir: join(scratch) });
  const issued = await issueCertificate(ca, { dir: scratch, name: 'admin', commonName: 'launchpad-admin', organizations: ['system:masters'], usage: 'client' });
  assert.match(new X509Certificate(issued.certPem).subject, /O=system:masters/);
});

test('kwok gets four stages, each a valid YAML document', () => {
  const documents = parseAllDocuments(renderKwokStages());
  assert.deepEqual(documents.map((document) => document.errors.length), [0, 0, 0, 0]);
  const names = documents.map((document) => (document.toJS() as { metadata: { name: string } }).metadata.name);
  assert.deepEqual(names, ['node-ready', 'pod-running', 'pod-job-succeed', 'pod-delete']);
});

describe('missing binaries', () => {
  const empty = join(scratch, 'no-binaries-here');
  mkdirSync(empty);
  const env = { KUBEBUILDER_ASSETS: empty };

  test('outside CI the suite is skipped with a reason that says how to build them', () => {
    const reason = controlPlaneSkipReason(2, env);
    assert.ok(typeof reason === 'string');
    assert.match(reason, /kube-apiserver.*run scripts\/build-k8s\.sh/);
  });

  test('in CI they fail the suite instead of skipping it', () => {
    assert.throws(() => controlPlaneSkipReason(1, { ...env, CI: 'true' }), (error: unknown) => error instanceof ToolError && /CI must not skip/.test(error.message));
  });
});

test('a folder whose owner died is swept; one whose owner lives is left alone', () => {
  const parent = mkdtempSync(join(scratch, 'sweep-'));
  const abandoned = createWorkspace(parent);
  // PID 2^22+1 is above Linux's pid_max limit, so no process has it.
  writeFileSync(join(abandoned, 'owner.json'), JSON.stringify({ ownerPid: 4_194_305, daemonPids: [] }));
  const live = createWorkspace(parent);
  assert.equal(sweepStaleWorkspaces(parent), 1);
  assert.equal(existsSync(abandoned), false);
  assert.equal(existsSync(live), true);
});
