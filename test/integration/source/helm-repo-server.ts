/**
 * A real Helm chart repository for tests: charts packaged with the real `helm package`, indexed with
 * `helm repo index`, served by a static HTTP server on 127.0.0.1 (optionally behind basic auth).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { findBinary } from '../../../src/process/binaries.js';
import { runProcess } from '../../../src/process/run.js';

export interface HelmRepoServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Requests served so far. */
  readonly requests: string[];
  close(): Promise<void>;
}

export interface ChartSpec {
  readonly name: string;
  readonly version: string;
}

/** Writes a minimal chart (one ConfigMap naming its version) and packages it into `repoDir`. */
export async function packageChart(workDir: string, repoDir: string, spec: ChartSpec): Promise<void> {
  const chartDir = join(workDir, `${spec.name}-${spec.version}`, spec.name);
  await mkdir(join(chartDir, 'templates'), { recursive: true });
  await writeFile(join(chartDir, 'Chart.yaml'), `apiVersion: v2\nname: ${spec.name}\nversion: ${spec.version}\n`);
  await writeFile(join(chartDir, 'templates', 'cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${spec.name}\ndata:\n  version: "${spec.version}"\n`);
  await mkdir(repoDir, { recursive: true });
  await runProcess(findBinary('helm'), ['package', chartDir, '--destination', repoDir]);
}

export async function startHelmRepoServer(repoDir: string, credentials?: { readonly username: string; readonly password: string }): Promise<HelmRepoServer> {
  const requests: string[] = [];
  const expectedAuth = credentials === undefined ? undefined : `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const server = createServer((request, response) => {
    requests.push(`${request.method ?? ''} ${request.url ?? ''}`);
    if (expectedAuth !== undefined && request.headers.authorization !== expectedAuth) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="charts"' }).end();
      return;
    }
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    readFile(join(repoDir, path)).then(
      (body) => response.writeHead(200).end(body),
      () => response.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  await runProcess(findBinary('helm'), ['repo', 'index', repoDir, '--url', url]);
  return {
    url,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}
