/** Writes every certificate and key one control plane needs into its pki folder. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ControlPlaneLayout } from './components.js';
import { FRONT_PROXY_NAME, pkiFiles } from './components.js';
import type { CertificateAuthority, IssuedCertificate } from './pki.js';
import { createCertificateAuthority, issueCertificate } from './pki.js';

export interface ControlPlanePki {
  readonly ca: CertificateAuthority;
  /** The admin client certificate: user "launchpad-admin" in group system:masters. */
  readonly admin: IssuedCertificate;
}

/** Names the API server answers to: loopback, and the in-cluster names clients inside the cluster would use. */
const SERVING_DNS_NAMES = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
const SERVING_IPS = ['127.0.0.1', '10.96.0.1'];

/** The certificates a persistent control plane wrote at its first start; undefined when any file is missing. */
export async function readControlPlanePki(layout: ControlPlaneLayout): Promise<ControlPlanePki | undefined> {
  const files = pkiFiles(layout);
  const read = (file: string): Promise<string | undefined> => readFile(file, 'utf8').catch(() => undefined);
  const [caPem, adminCert, adminKey, serving, serviceAccount] = await Promise.all([
    read(files.caCert), read(join(layout.pkiDir, 'admin.crt')), read(join(layout.pkiDir, 'admin.key')), read(files.servingCert), read(files.serviceAccountKey),
  ]);
  if (caPem === undefined || adminCert === undefined || adminKey === undefined || serving === undefined || serviceAccount === undefined) return undefined;
  return {
    ca: { certFile: files.caCert, keyFile: files.caKey, certPem: caPem },
    admin: { certFile: join(layout.pkiDir, 'admin.crt'), keyFile: join(layout.pkiDir, 'admin.key'), certPem: adminCert, keyPem: adminKey },
  };
}

export async function writeControlPlanePki(layout: ControlPlaneLayout): Promise<ControlPlanePki> {
  mkdirSync(layout.pkiDir, { recursive: true, mode: 0o700 });
  const ca = await createCertificateAuthority({ dir: layout.pkiDir, commonName: 'launchpad-test-ca' });
  const [, admin] = await Promise.all([
    issueCertificate(ca, { dir: layout.pkiDir, name: 'apiserver', commonName: 'kube-apiserver', ips: SERVING_IPS, dnsNames: SERVING_DNS_NAMES }),
    issueCertificate(ca, { dir: layout.pkiDir, name: 'admin', commonName: 'launchpad-admin', organizations: ['system:masters'], usage: 'client' }),
    issueCertificate(ca, { dir: layout.pkiDir, name: FRONT_PROXY_NAME, commonName: FRONT_PROXY_NAME, usage: 'client' }),
  ]);
  // The key that signs service-account tokens; Node makes it faster than another openssl run.
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const files = pkiFiles(layout);
  writeFileSync(files.serviceAccountKey, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  writeFileSync(files.serviceAccountPublicKey, publicKey.export({ format: 'pem', type: 'spki' }));
  return { ca, admin };
}
