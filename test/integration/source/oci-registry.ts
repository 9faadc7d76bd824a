/**
 * A real OCI registry (CNCF distribution, built by scripts/install-registry.sh) on 127.0.0.1 for the OCI chart
 * tests. Long-running, so it is spawned here rather than through the one-shot process seam; it is killed by pid
 * in close().
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface OciRegistry {
  /** `127.0.0.1:<port>` */
  readonly host: string;
  close(): Promise<void>;
}

/** The registry binary: $LAUNCHPAD_REGISTRY, else the newest under the tools cache; undefined when not installed. */
export function findRegistryBinary(): string | undefined {
  const explicit = process.env.LAUNCHPAD_REGISTRY;
  if (explicit !== undefined && explicit !== '') return explicit;
  const toolsDir = process.env.LAUNCHPAD_TOOLS_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'launchpad', 'tools');
  let entries: string[];
  try {
    entries = readdirSync(toolsDir).filter((entry) => entry.startsWith('registry-v') && !entry.endsWith('.partial'));
  } catch {
    return undefined;
  }
  for (const entry of entries.sort().reverse()) {
    const candidate = join(toolsDir, entry, 'registry');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  return port;
}

export async function startOciRegistry(binary: string, workDir: string): Promise<OciRegistry> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  await mkdir(join(workDir, 'storage'), { recursive: true });
  const configFile = join(workDir, 'config.yml');
  await writeFile(configFile, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(workDir, 'storage')}\nhttp:\n  addr: ${host}\n`);
  const child = spawn(binary, ['serve', configFile], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, OTEL_TRACES_EXPORTER: 'none' } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitUntilServing(host, child, () => stderr);
  return { host, close: () => stop(child) };
}

async function waitUntilServing(host: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the OCI registry exited (${child.exitCode}): ${stderr()}`);
    try {
      const response = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop(child);
  throw new Error(`the OCI registry did not start on ${host} within 15 s: ${stderr()}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
