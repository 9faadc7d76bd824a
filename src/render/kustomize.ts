/**
 * The Kustomize renderer: the real `kustomize build` (or `kubectl kustomize`). The Application's kustomize options
 * are applied as Argo CD applies them — `kustomize edit` on the app's kustomization, patches appended to it — but in
 * a private linked copy of the repository, never in the checkout itself.
 */
import { mkdtemp, rm, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { YAML_OPTIONS, checkYamlText } from '../model/yaml-guard.js';
import { readTextFile } from '../source/read-text.js';
import { RenderError, describeError } from '../errors.js';
import type { KustomizeSource } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import { findBinary } from '../process/binaries.js';
import { runProcess } from '../process/run.js';
import { runKustomizeBuild } from './helper/renderer.js';
import { detachFile, linkTree } from './link-tree.js';
import { inputLimits } from '../model/limits.js';
import { parseKubeObjects } from '../model/rendered-objects.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export interface KustomizeRenderOptions {
  /** Absolute path of the repository root (the copy is made from here, so `../base` keeps working). */
  readonly repoDir: string;
  /** Path of the app inside the repository. */
  readonly path: string;
  readonly kustomize: KustomizeSource | undefined;
  /** ARGOCD_APP_* variables for `commonAnnotationsEnvsubst` and plugins. */
  readonly env: Readonly<Record<string, string>>;
  readonly displayName: string;
  readonly timeoutMs?: number;
}

export interface KustomizeRenderResult {
  readonly objects: KubeObject[];
  readonly processes: number;
  readonly processMs: number;
}

export async function findKustomization(dir: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    try {
      if ((await stat(join(dir, name))).isFile()) return name;
    } catch {
      // try the next name
    }
  }
  return undefined;
}

function hasEdits(options: KustomizeSource | undefined): boolean {
  if (options === undefined) return false;
  return [options.namePrefix, options.nameSuffix, options.namespace].some((value) => value !== undefined && value !== '') ||
    [options.images, options.replicas, options.patches, options.components].some((list) => list !== undefined && list.length > 0) ||
    [options.commonLabels, options.commonAnnotations].some((map) => map !== undefined && Object.keys(map).length > 0);
}

/** `k:v` pairs, sorted, comma-joined — the argument form `kustomize edit add label|annotation` takes. */
function pairs(map: Readonly<Record<string, string>>, env: Readonly<Record<string, string>>, substitute: boolean): string {
  return Object.keys(map).sort().map((key) => `${key}:${substitute ? envsubst(map[key] ?? '', env) : (map[key] ?? '')}`).join(',');
}

function envsubst(value: string, env: Readonly<Record<string, string>>): string {
  return value.replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (match, name: string) => env[name] ?? match);
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function labelCommand(options: KustomizeSource, env: Readonly<Record<string, string>>): string[][] {
  if (options.commonLabels === undefined || Object.keys(options.commonLabels).length === 0) return [];
  const flags = [...(options.forceCommonLabels === true ? ['--force'] : []), ...(options.labelWithoutSelector === true ? ['--without-selector'] : [])];
  return [['edit', 'add', 'label', ...flags, pairs(options.commonLabels, env, true)]];
}

function annotationCommand(options: KustomizeSource, env: Readonly<Record<string, string>>): string[][] {
  if (options.commonAnnotations === undefined || Object.keys(options.commonAnnotations).length === 0) return [];
  const flags = options.forceCommonAnnotations === true ? ['--force'] : [];
  return [['edit', 'add', 'annotation', ...flags, pairs(options.commonAnnotations, env, options.commonAnnotationsEnvsubst === true)]];
}

/** The `kustomize edit` commands Argo CD runs for these options, in its order. */
export async function editCommands(options: KustomizeSource, appDir: string, env: Readonly<Record<string, string>>): Promise<string[][]> {
  const images = options.images ?? [];
  const replicas = options.replicas ?? [];
  const components = await existingComponents(options, appDir);
  return [
    ...(nonEmpty(options.namePrefix) ? [['edit', 'set', 'nameprefix', '--', options.namePrefix]] : []),
    ...(nonEmpty(options.nameSuffix) ? [['edit', 'set', 'namesuffix', '--', options.nameSuffix]] : []),
    ...(images.length > 0 ? [['edit', 'set', 'image', ...images.map((image) => envsubst(image, env))]] : []),
    ...(replicas.length > 0 ? [['edit', 'set', 'replicas', ...replicas.map((replica) => `${replica.name}=${String(replica.count)}`)]] : []),
    ...labelCommand(options, env),
    ...annotationCommand(options, env),
    ...(nonEmpty(options.namespace) ? [['edit', 'set', 'namespace', '--', options.namespace]] : []),
    ...(components.length > 0 ? [['edit', 'add', 'component', ...components]] : []),
  ];
}

async function existingComponents(options: KustomizeSource, appDir: string): Promise<string[]> {
  const components = options.components ?? [];
  if (options.ignoreMissingComponents !== true) return [...components];
  const found: string[] = [];
  for (const component of components) {
    const present = await stat(join(appDir, component)).then(() => true, () => false);
    if (present) found.push(component);
  }
  return found;
}

async function appendPatches(file: string, options: KustomizeSource): Promise<void> {
  if (options.patches === undefined || options.patches.length === 0) return;
  const text = await readTextFile(file, 'fix the kustomization');
  checkYamlText(text, { file });
  const document = parseDocument(text, YAML_OPTIONS);
  const current = (document.toJS() as { patches?: unknown } | null)?.patches;
  const patches: unknown[] = Array.isArray(current) ? current : [];
  document.set('patches', [...patches, ...options.patches]);
  await writeFile(file, document.toString());
}

async function runKustomize(args: readonly string[], options: { cwd: string; env: Readonly<Record<string, string>>; timeoutMs: number }): Promise<{ stdout: string; durationMs: number }> {
  const runOptions = { ...options, maxOutputBytes: inputLimits().maxFileSize };
  // A build goes to the long-lived kustomize helper unless --renderer=process; it answers as the binary would or hands
  // back to it. `kustomize edit` changes files in the working folder, so it stays a process.
  const run = args[0] === 'build' ? runKustomizeBuild(args, runOptions) : runProcess(findBinary('kustomize'), args, runOptions);
  return run.catch((error: unknown) => {
    throw new RenderError(`kustomize ${args[0] ?? ''} failed: ${describeError(error).replace(/^kustomize \w+ failed \(exit \d+\): /, '')}`, { cause: error });
  });
}

export async function renderKustomize(options: KustomizeRenderOptions): Promise<KustomizeRenderResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const env = options.env;
  if (!hasEdits(options.kustomize)) {
    const result = await runKustomize(['build', join(options.repoDir, options.path)], { cwd: options.repoDir, env, timeoutMs });
    return { objects: parseKubeObjects(result.stdout, { source: `kustomize build of ${options.displayName}` }), processes: 1, processMs: result.durationMs };
  }
  const workDir = await mkdtemp(join(tmpdir(), 'launchpad-kustomize-'));
  try {
    await linkTree(options.repoDir, workDir);
    const appDir = join(workDir, options.path);
    const fileName = await findKustomization(appDir);
    if (fileName === undefined) {
      throw new RenderError(`${options.displayName}: no kustomization.yaml in "${options.path}" but spec.source.kustomize is set`, {
        fix: 'add a kustomization.yaml or remove the kustomize options',
      });
    }
    await detachFile(join(appDir, fileName));
    let processes = 0;
    let processMs = 0;
    for (const args of await editCommands(options.kustomize ?? {}, appDir, env)) {
      const result = await runKustomize(args, { cwd: appDir, env, timeoutMs });
      processes += 1;
      processMs += result.durationMs;
    }
    await appendPatches(join(appDir, fileName), options.kustomize ?? {});
    const result = await runKustomize(['build', appDir], { cwd: appDir, env, timeoutMs });
    return {
      objects: parseKubeObjects(result.stdout, { source: `kustomize build of ${options.displayName}` }),
      processes: processes + 1,
      processMs: processMs + result.durationMs,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

