/**
 * `launchpad up` and `launchpad down`: the whole Launchpad experience on one machine. A persistent local Kubernetes
 * (tier 2: controllers, scheduler, a simulated kwok node; state under the user's state folder, so `up` again resumes
 * and `down` keeps it, `--reset` wipes it), Launchpad's CRDs, the controller running in this process, the example
 * platform's root Application applied, a wait until the tree has converged, and a summary. The running `up` writes
 * a pid file; `down` asks it to stop (SIGTERM) from another terminal.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LaunchpadError } from '../errors.js';
import { applyInstall } from '../install/apply.js';
import { ensureAdminAccount } from '../api/auth/accounts.js';
import { installManifests } from '../install/manifests.js';
import type { KubeClient } from '../kube/types.js';
import { parseYamlDocuments } from '../model/yaml-documents.js';
import type { KubeObject } from '../model/resource.js';
import { isPlainObject } from '../model/values.js';
import { isAlive } from './control-plane/daemon.js';

/** `$XDG_STATE_HOME/launchpad/local`, else `~/.local/state/launchpad/local`. */
export function defaultStateDir(): string {
  const base = process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state');
  return join(base, 'launchpad', 'local');
}

export interface UpRecord {
  readonly pid: number;
  readonly startedAt: string;
  readonly kubeconfig: string;
  readonly url: string;
}

const PID_FILE = 'up.json';

export async function readUpRecord(stateDir: string): Promise<UpRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(join(stateDir, PID_FILE), 'utf8')) as UpRecord;
    return typeof record.pid === 'number' && isAlive(record.pid) ? record : undefined;
  } catch {
    return undefined;
  }
}

export async function writeUpRecord(stateDir: string, record: UpRecord): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await writeFile(join(stateDir, PID_FILE), JSON.stringify(record));
}

export async function removeUpRecord(stateDir: string): Promise<void> {
  await rm(join(stateDir, PID_FILE), { force: true });
}

/** Stops a running `launchpad up` (SIGTERM, then waits up to `timeoutMs`); false when none runs. */
export async function stopRunningUp(stateDir: string, timeoutMs = 60_000): Promise<boolean> {
  const record = await readUpRecord(stateDir);
  if (record === undefined) return false;
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(record.pid)) {
    if (Date.now() > deadline) throw new LaunchpadError(`launchpad up (pid ${record.pid}) did not stop within ${timeoutMs / 1000}s`, { fix: `stop it with: kill ${record.pid}` });
    await sleep(250);
  }
  return true;
}

/** Wipes the local cluster's state (after stopping it): the next `up` starts from nothing. */
export async function resetState(stateDir: string): Promise<void> {
  await stopRunningUp(stateDir);
  await rm(stateDir, { recursive: true, force: true });
}

/** The CRDs, the namespace and the `default` AppProject — what a controller running outside the cluster needs. */
export async function installCore(client: KubeClient, namespace: string): Promise<void> {
  const wanted = new Set(['Namespace', 'CustomResourceDefinition', 'AppProject']);
  await applyInstall(installManifests({ namespace }).filter((object) => wanted.has(object.kind)), { client });
  // The API's admin account, so `launchpad admin password` answers as soon as up has installed.
  await ensureAdminAccount(client, namespace);
}

/**
 * The example's INSECURE demo sealing key (examples/platform/launchpad/secrets/demo-key/), when the root sits in a
 * folder that has one: installed in the controller namespace as a sealing key Secret before the unsealer starts, so
 * the example's SealedSecrets decrypt. Created only when missing; returns whether the file was there.
 */
export async function installDemoSealingKey(client: KubeClient, root: string, namespace: string): Promise<boolean> {
  const file = join(dirname(root), 'secrets', 'demo-key', 'sealing-key.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return false;
  }
  const parsed = parseYamlDocuments(text, file);
  const [first] = parsed.errors;
  if (first !== undefined) throw first;
  const key = parsed.documents.map((document) => document.value).find((value): value is KubeObject => isPlainObject(value) && value.kind === 'Secret' && isPlainObject(value.metadata));
  if (key === undefined) throw new LaunchpadError(`${file} holds no Secret`, { fix: 'restore the demo key file, or remove the demo-key folder' });
  const secret = { ...key, metadata: { ...key.metadata, namespace } };
  if ((await client.get({ apiVersion: 'v1', kind: 'Secret', namespace, name: secret.metadata.name ?? '' })) === undefined) await client.create(secret);
  return true;
}

/** The Applications and AppProjects of a root file, as written, in `namespace` unless they name one. */
export function rootObjects(file: string, namespace: string): KubeObject[] {
  const text = readFileSync(file, 'utf8');
  const parsed = parseYamlDocuments(text, file);
  const [first] = parsed.errors;
  if (first !== undefined) throw first;
  const objects = parsed.documents.map((document) => document.value).filter((value): value is KubeObject => isPlainObject(value) && isPlainObject(value.metadata) && (value.kind === 'Application' || value.kind === 'AppProject'));
  if (objects.length === 0) throw new LaunchpadError(`${file} holds no Application`, { fix: 'give the root (app-of-apps) Application file' });
  return objects.map((object) => ({ ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? namespace } }));
}

export async function applyRoot(client: KubeClient, file: string, namespace: string): Promise<string[]> {
  const objects = rootObjects(file, namespace);
  for (const object of objects) await client.apply(object, { fieldManager: 'launchpad-up' });
  return objects.filter((object) => object.kind === 'Application').map((object) => object.metadata.name ?? '');
}

/** The example platform bundled with Launchpad, found from the installed package. */
export function bundledExample(): { readonly root: string; readonly config: string } {
  const packageRoot = resolve(new URL('../../../', import.meta.url).pathname);
  const platform = join(packageRoot, 'examples', 'platform');
  return { root: join(platform, 'launchpad', '_app-of-apps-upc-dev.yaml'), config: join(platform, 'launchpad.yaml') };
}
