/**
 * Where the sealing certificate comes from (kubeseal's OpenCert): `--cert` as a local file, a `file://` URL or an
 * `http(s)://` URL, or else the controller itself through the API server's service proxy.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LaunchpadError } from '../errors.js';
import type { LoadKubeconfigOptions } from '../kube/kubeconfig.js';
import { openControllerProxy } from './controller-proxy.js';
import type { ControllerRef } from './controller-proxy.js';

/** The PEM text of `--cert`; a Windows drive letter or a plain path is a file, like kubeseal's isFilename. */
export async function readCertificateSource(location: string): Promise<string> {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme.length === 1) return readCertFile(location, location);
  if (scheme === 'file') return readCertFile(fileURLToPath(location), location);
  if (scheme === 'http' || scheme === 'https') {
    let response: Response;
    try {
      response = await fetch(location, { signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new LaunchpadError(`cannot fetch the certificate from ${location}: ${(error as Error).message}`, { errorClass: 'retryable' });
    }
    if (!response.ok) throw new LaunchpadError(`cannot fetch the certificate from ${location}: HTTP ${response.status}`);
    return response.text();
  }
  throw new LaunchpadError(`--cert ${location}: unsupported URL scheme "${scheme}"`, { fix: 'use a file, file://, http:// or https://' });
}

async function readCertFile(path: string, shown: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new LaunchpadError(`--cert ${shown}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

/** `/v1/cert.pem` of the controller, through the service proxy. */
export async function fetchControllerCertificate(controller: ControllerRef, kubeconfig: LoadKubeconfigOptions = {}): Promise<string> {
  const proxy = openControllerProxy(controller, kubeconfig);
  try {
    const response = await proxy.call('GET', '/v1/cert.pem');
    if (response.status !== 200) {
      throw new LaunchpadError(`cannot fetch the certificate from the controller Service/${controller.namespace}/${controller.name}: HTTP ${response.status}`, {
        fix: 'check that the controller is running, or pass --cert',
      });
    }
    return response.body;
  } finally {
    proxy.close();
  }
}
