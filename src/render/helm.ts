/**
 * The Helm renderer: the real `helm template`, called with the arguments Argo CD's repo-server uses, so the output
 * is the same. Value precedence is Argo CD's: parameters (--set) > valuesObject > values > valueFiles > chart values.
 * Local chart dependencies are built (in a private copy, never in the checkout) when `charts/` lacks them.
 */
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { parseYamlValue } from '../model/yaml-guard.js';
import { OfflineSkipError, RenderError, describeError } from '../errors.js';
import type { HelmSource } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import { findBinary } from '../process/binaries.js';
import { runProcess } from '../process/run.js';
import { assertInside, isInside } from '../source/containment.js';
import { boundaryOfRepo, resolveValueFiles } from './helm-values.js';
import type { RepoFiles } from './helm-values.js';
import { inputLimits } from '../model/limits.js';
import { readTextFile } from '../source/read-text.js';
import { parseKubeObjects } from '../model/rendered-objects.js';
import type { InputPath } from './types.js';
import { kubeVersionArgument, layerCapabilities } from './capabilities.js';
import type { Capabilities } from './capabilities.js';
import { runHelmTemplate } from './helper/renderer.js';

export interface HelmRenderOptions {
  readonly chartDir: string;
  readonly repo: RepoFiles;
  readonly refs: ReadonlyMap<string, RepoFiles>;
  readonly helm: HelmSource | undefined;
  readonly appName: string;
  readonly namespace: string | undefined;
  readonly offline: boolean;
  /**
   * The destination cluster's capabilities, used where the Application's helm source does not set its own
   * (`--kube-version`, `--api-versions`). @default DEFAULT_CAPABILITIES: helm never uses its compiled-in defaults
   */
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  readonly timeoutMs?: number;
}

export interface HelmRenderResult {
  readonly objects: KubeObject[];
  readonly inputs: InputPath[];
  readonly processes: number;
  readonly processMs: number;
}

/** Argo CD escapes commas in --set values unless the value is a `{a,b}` list literal. */
export function escapeSetValue(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  return value.replace(/(?<!\\),/g, '\\,');
}

/** The inline values file: valuesObject wins over values, as in Argo CD. Undefined when neither is set. */
export function inlineValues(helm: HelmSource | undefined): string | undefined {
  if (helm?.valuesObject !== undefined && Object.keys(helm.valuesObject).length > 0) return stringify(helm.valuesObject);
  if (helm?.values !== undefined && helm.values.trim() !== '') return helm.values;
  return undefined;
}

interface ChartDependency {
  readonly name: string;
  readonly repository?: string;
  readonly condition?: string;
}

async function missingDependencies(chartDir: string): Promise<ChartDependency[]> {
  const chart = parseYamlValue(await readTextFile(join(chartDir, 'Chart.yaml'), 'fix the chart'), join(chartDir, 'Chart.yaml')) as { dependencies?: ChartDependency[] } | null;
  const dependencies = chart?.dependencies ?? [];
  if (dependencies.length === 0) return [];
  let present: string[] = [];
  try {
    present = await readdir(join(chartDir, 'charts'));
  } catch {
    present = [];
  }
  return dependencies.filter((dependency) => !present.some((entry) => entry === dependency.name || entry.startsWith(`${dependency.name}-`)));
}

/**
 * The folders of `file://` dependencies, which `helm dependency build` reads from outside the chart: each must be
 * inside the chart's repository (links included), and each is an input of the render.
 */
async function localDependencyInputs(options: HelmRenderOptions, missing: readonly ChartDependency[]): Promise<InputPath[]> {
  const inputs: InputPath[] = [];
  for (const dependency of missing) {
    if (dependency.repository?.startsWith('file://') !== true) continue;
    const folder = resolve(options.chartDir, dependency.repository.slice('file://'.length));
    if (!isInside(options.repo.dir, folder)) {
      throw new RenderError(`chart dependency "${dependency.name}" (${dependency.repository}) is outside the repository ${options.repo.label}`, {
        fix: 'keep file:// dependencies inside the repository, or vendor the dependency into charts/',
      });
    }
    await assertInside(boundaryOfRepo(options.repo), folder);
    inputs.push({ repoURL: options.repo.repoURL, revision: options.repo.revision, path: relative(options.repo.dir, folder).split(sep).join('/') || '.' });
  }
  return inputs;
}

/** Copies the chart to a private folder and runs `helm dependency build` there. Returns the new chart folder. */
async function buildDependencies(options: HelmRenderOptions, missing: readonly ChartDependency[], workDir: string): Promise<string> {
  const remote = missing.find((dependency) => dependency.repository !== undefined && !dependency.repository.startsWith('file://'));
  if (options.offline && remote !== undefined) throw new OfflineSkipError(remote.repository ?? remote.name);
  const copy = join(workDir, 'chart');
  await cp(options.chartDir, copy, { recursive: true, dereference: true });
  // A relative file:// dependency must still resolve from the copy: rewrite happens naturally only if the
  // dependency lives inside the chart; for siblings (file://../common) point the copy at the original location.
  const chartFile = join(copy, 'Chart.yaml');
  const chart = parseYamlValue(await readTextFile(chartFile, 'fix the chart'), chartFile) as { dependencies?: { repository?: string }[] };
  for (const dependency of chart.dependencies ?? []) {
    if (dependency.repository?.startsWith('file://') === true && !dependency.repository.startsWith('file:///')) {
      dependency.repository = `file://${join(options.chartDir, dependency.repository.slice('file://'.length))}`;
    }
  }
  await writeFile(chartFile, stringify(chart));
  await runProcess(findBinary('helm'), ['dependency', 'build', copy, '--skip-refresh'], { timeoutMs: options.timeoutMs ?? 300_000 });
  return copy;
}

function flag(name: string, value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : [name, value];
}

/** The capabilities helm renders for: the helm source's own, else the cluster's, else the default; always explicit. */
export function helmCapabilities(options: Pick<HelmRenderOptions, 'helm' | 'kubeVersion' | 'apiVersions'>): Capabilities {
  const cluster = {
    ...(options.kubeVersion === undefined ? {} : { kubeVersion: options.kubeVersion }),
    ...(options.apiVersions === undefined ? {} : { apiVersions: options.apiVersions }),
  };
  const capabilities = layerCapabilities(options.helm, cluster);
  const fromSource = options.helm?.kubeVersion !== undefined && options.helm.kubeVersion !== '';
  return { ...capabilities, kubeVersion: kubeVersionArgument(capabilities.kubeVersion, fromSource ? 'spec.source.helm.kubeVersion' : 'the destination cluster') };
}

function templateArgs(options: HelmRenderOptions, chartDir: string, valueFiles: readonly string[]): string[] {
  const helm = options.helm ?? {};
  const setArgs = (helm.parameters ?? []).flatMap((parameter) => [
    parameter.forceString === true ? '--set-string' : '--set',
    `${parameter.name}=${escapeSetValue(parameter.value)}`,
  ]);
  const capabilities = helmCapabilities(options);
  return [
    'template', chartDir, '--name-template', nonEmpty(helm.releaseName) ?? options.appName,
    ...flag('--namespace', nonEmpty(helm.namespace) ?? options.namespace),
    '--kube-version', capabilities.kubeVersion,
    ...setArgs,
    ...valueFiles.flatMap((file) => ['--values', file]),
    ...capabilities.apiVersions.flatMap((apiVersion) => ['--api-versions', apiVersion]),
    ...(helm.skipCrds === true ? [] : ['--include-crds']),
    ...(helm.skipSchemaValidation === true ? ['--skip-schema-validation'] : []),
    ...(helm.skipTests === true ? ['--skip-tests'] : []),
  ];
}

/** Argo CD treats an empty releaseName or namespace as unset. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

async function fileParameterArgs(options: HelmRenderOptions): Promise<{ args: string[]; inputs: InputPath[] }> {
  const args: string[] = [];
  const inputs: InputPath[] = [];
  for (const parameter of options.helm?.fileParameters ?? []) {
    const resolved = await resolveValueFiles([parameter.path], { chartDir: options.chartDir, repo: options.repo, refs: options.refs, ignoreMissing: false, offline: options.offline, fileParameter: parameter.name });
    inputs.push(...resolved.inputs);
    for (const file of resolved.files) args.push('--set-file', `${parameter.name}=${escapeSetValue(file)}`);
  }
  return { args, inputs };
}

export async function renderHelm(options: HelmRenderOptions): Promise<HelmRenderResult> {
  const valueFiles = await resolveValueFiles(options.helm?.valueFiles ?? [], {
    chartDir: options.chartDir,
    repo: options.repo,
    refs: options.refs,
    ignoreMissing: options.helm?.ignoreMissingValueFiles === true,
    offline: options.offline,
  });
  const fileParameters = await fileParameterArgs(options);
  const workDir = await mkdtemp(join(tmpdir(), 'launchpad-helm-'));
  let processes = 0;
  let processMs = 0;
  try {
    const files = [...valueFiles.files];
    const inline = inlineValues(options.helm);
    if (inline !== undefined) {
      const inlineFile = join(workDir, 'inline-values.yaml');
      await writeFile(inlineFile, inline);
      files.push(inlineFile);
    }
    let chartDir = options.chartDir;
    const missing = await missingDependencies(chartDir);
    const dependencyInputs = await localDependencyInputs(options, missing);
    if (missing.length > 0) {
      chartDir = await buildDependencies(options, missing, workDir);
      processes += 1;
    }
    const args = [...templateArgs(options, chartDir, files), ...fileParameters.args];
    // The helper renders unless --renderer=process; it answers as the binary would, or hands back to it.
    const result = await runHelmTemplate(args, { timeoutMs: options.timeoutMs ?? 120_000, maxOutputBytes: inputLimits().maxFileSize }).catch((error: unknown) => {
      throw new RenderError(`helm template failed: ${describeError(error).replace(/^helm template failed \(exit \d+\): /, '')}`, { cause: error });
    });
    processes += 1;
    processMs += result.durationMs;
    return {
      objects: parseKubeObjects(result.stdout, { source: `helm template of ${options.repo.label}` }),
      inputs: [...valueFiles.inputs, ...fileParameters.inputs, ...dependencyInputs],
      processes,
      processMs,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
