/** Helpers of the multi-cluster test: a kubeconfig with two contexts, `launchpad cluster` run in-process, a log sink. */
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { parse, stringify } from 'yaml';
import { registerCluster } from '../../../src/cli/commands/cluster.js';

interface KubeconfigFile {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
}

/** One kubeconfig whose contexts are named as given (cluster and user too); the first is the current context. */
export async function writeMergedKubeconfig(file: string, planes: readonly { readonly name: string; readonly kubeconfigPath: string }[]): Promise<void> {
  const merged = { apiVersion: 'v1', kind: 'Config', clusters: [] as unknown[], users: [] as unknown[], contexts: [] as unknown[], 'current-context': planes[0]?.name ?? '' };
  for (const plane of planes) {
    const single = parse(await readFile(plane.kubeconfigPath, 'utf8')) as KubeconfigFile;
    merged.clusters.push({ name: plane.name, cluster: single.clusters[0]?.cluster });
    merged.users.push({ name: plane.name, user: single.users[0]?.user });
    merged.contexts.push({ name: plane.name, context: { cluster: plane.name, user: plane.name, namespace: 'default' } });
  }
  await writeFile(file, stringify(merged), { mode: 0o600 });
}

export interface CliRun {
  readonly stdout: string;
  readonly stderr: string;
  /** What the command threw (main() would print it after "launchpad: " and exit 2). */
  readonly error: unknown;
}

/**
 * Parses `cluster <args>` on a fresh program and captures what it writes. Only strings are captured: the command
 * writes strings, while the test runner's own reports (written to stdout by a test file's process) are binary.
 */
export async function runClusterCli(args: readonly string[]): Promise<CliRun> {
  const program = new Command('launchpad').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerCluster(program);
  const out: string[] = [];
  const err: string[] = [];
  const originals = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  const capture = (into: string[], original: (...parts: unknown[]) => boolean) => (chunk: unknown, ...rest: unknown[]): boolean => {
    if (typeof chunk === 'string') {
      into.push(chunk);
      return true;
    }
    return original(chunk, ...rest);
  };
  process.stdout.write = capture(out, originals.stdout as (...parts: unknown[]) => boolean);
  process.stderr.write = capture(err, originals.stderr as (...parts: unknown[]) => boolean);
  let error: unknown;
  try {
    await program.parseAsync(['cluster', ...args], { from: 'user' });
  } catch (thrown) {
    error = thrown;
  } finally {
    process.stdout.write = originals.stdout;
    process.stderr.write = originals.stderr;
  }
  return { stdout: out.join(''), stderr: err.join(''), error };
}

/** A stream that keeps every log line the controller writes (to search them for secrets). */
export function logSink(): { readonly stream: Writable; readonly text: () => string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => lines.join('') };
}

/**
 * How many cluster-wide WATCH requests of a resource the API server is serving now (its
 * `apiserver_longrunning_requests` gauge): a live cache that was not stopped keeps its watches open.
 */
export function clusterWatches(plane: { readonly server: string; readonly tls: { readonly ca: string; readonly cert: string; readonly key: string } }, resource: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = request(`${plane.server}/metrics`, { ca: plane.tls.ca, cert: plane.tls.cert, key: plane.tls.key, timeout: 10_000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { text += chunk; });
      response.on('end', () => {
        const line = text.split('\n').find((entry) => entry.startsWith('apiserver_longrunning_requests{') && entry.includes(`resource="${resource}",scope="cluster"`) && entry.includes('verb="WATCH"'));
        resolve(Number(line?.slice(line.lastIndexOf(' ') + 1) ?? 0));
      });
    });
    sent.on('timeout', () => sent.destroy(new Error('GET /metrics timed out')));
    sent.on('error', reject);
    sent.end();
  });
}
