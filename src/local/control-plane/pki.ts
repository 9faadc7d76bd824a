/**
 * Throwaway certificates for a test control plane and for servers a test runs itself (admission webhooks).
 * Made with the system `openssl` (3.x) through the process seam: EC P-256 keys, one `openssl req` per certificate.
 * Nothing here is fit for production: keys sit unencrypted in a temp folder and live a week.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runProcess } from '../../process/run.js';

export interface CertificateAuthority {
  readonly certFile: string;
  readonly keyFile: string;
  /** The CA certificate, PEM; what a kubeconfig or a webhook's caBundle carries (base64 of this). */
  readonly certPem: string;
}

export interface IssuedCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export interface CertificateOptions {
  /** Folder the `<name>.crt` and `<name>.key` files are written to. */
  readonly dir: string;
  /** File name stem, e.g. "apiserver". */
  readonly name: string;
  readonly commonName: string;
  /** Subject organizations; Kubernetes reads them as groups (e.g. "system:masters"). @default [] */
  readonly organizations?: readonly string[];
  /** IP subject alternative names. @default [] */
  readonly ips?: readonly string[];
  /** DNS subject alternative names. @default [] */
  readonly dnsNames?: readonly string[];
  /** What the certificate may prove. @default 'server' */
  readonly usage?: 'server' | 'client' | 'both';
}

const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const VALID_DAYS = '7';

/** A distinguished name for openssl's -subj, with "/" and "," escaped. */
function subject(commonName: string, organizations: readonly string[]): string {
  const escape = (value: string): string => value.replace(/[/,\\]/g, (c) => `\\${c}`);
  return [...organizations.map((o) => `/O=${escape(o)}`), `/CN=${escape(commonName)}`].join('');
}

const EXTENDED_USAGE = { server: 'serverAuth', client: 'clientAuth', both: 'serverAuth,clientAuth' } as const;

/** Makes a fresh self-signed CA in `dir` (`ca.crt`, `ca.key`). */
export async function createCertificateAuthority(options: { readonly dir: string; readonly commonName?: string }): Promise<CertificateAuthority> {
  const certFile = join(options.dir, 'ca.crt');
  const keyFile = join(options.dir, 'ca.key');
  await runProcess('openssl', [
    'req', '-x509', ...KEY_ARGS, '-keyout', keyFile, '-out', certFile, '-days', VALID_DAYS,
    '-subj', subject(options.commonName ?? 'launchpad-test-ca', []),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  return { certFile, keyFile, certPem: await readFile(certFile, 'utf8') };
}

/** Issues a certificate signed by `ca`, with the given names, into `<dir>/<name>.crt` and `.key`. */
export async function issueCertificate(ca: CertificateAuthority, options: CertificateOptions): Promise<IssuedCertificate> {
  const certFile = join(options.dir, `${options.name}.crt`);
  const keyFile = join(options.dir, `${options.name}.key`);
  const alternativeNames = [...(options.ips ?? []).map((ip) => `IP:${ip}`), ...(options.dnsNames ?? []).map((dns) => `DNS:${dns}`)];
  const extensions = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${EXTENDED_USAGE[options.usage ?? 'server']}`,
    ...(alternativeNames.length > 0 ? [`subjectAltName=${alternativeNames.join(',')}`] : []),
  ];
  await runProcess('openssl', [
    'req', '-x509', ...KEY_ARGS, '-keyout', keyFile, '-out', certFile, '-days', VALID_DAYS,
    '-subj', subject(options.commonName, options.organizations ?? []),
    '-CA', ca.certFile, '-CAkey', ca.keyFile,
    ...extensions.flatMap((extension) => ['-addext', extension]),
  ]);
  const [certPem, keyPem] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  return { certFile, keyFile, certPem, keyPem };
}
