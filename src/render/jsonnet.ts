/**
 * Evaluates the `.jsonnet` files of a directory source as Argo CD's repo-server does (makeJsonnetVM + EvaluateFile),
 * with the real go-jsonnet: the library path is the source folder, then each of `directory.jsonnet.libs` (relative to
 * the repository root; the last one wins), extVars and tlas as strings or as code. `.libsonnet` files are only ever
 * imported. Each file must evaluate to an object, an array of objects (nulls skipped) or null; `List` kinds are
 * flattened by the common parser, as Argo CD flattens them.
 *
 * Before anything is evaluated, `jsonnet-deps` (same module, same version) lists every file the evaluation can read —
 * imports, importstr and importbin, followed through symlinks — and each must be inside the repository: Jsonnet's
 * importer would otherwise read `/etc/passwd` or a service-account token for whoever writes the repository or the
 * Application. The same list is the render's recorded inputs, so an edit to an imported library invalidates the render
 * cache and marks the application changed in a pull-request preview.
 *
 * The processes run in an empty temporary folder, so a relative import in an extVar's code resolves only through the
 * library path — as in Argo CD, whose repo-server does not run in the repository — and with JSONNET_PATH cleared.
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, normalize, relative, sep } from 'node:path';
import { RenderError, ToolError } from '../errors.js';
import { inputLimits } from '../model/limits.js';
import type { KubeObject } from '../model/resource.js';
import { parseKubeObjects } from '../model/rendered-objects.js';
import { describeValue, isPlainObject } from '../model/values.js';
import { findBinary } from '../process/binaries.js';
import { runProcess, trimToolOutput } from '../process/run.js';
import type { Boundary } from '../source/containment.js';
import { isInside, resolveInside } from '../source/containment.js';
import type { JsonnetOptions, JsonnetVariable } from './jsonnet-options.js';

export interface JsonnetSettings {
  /** Absolute path of the checkout: source paths and libs are relative to it. */
  readonly repoDir: string;
  /** The source path, relative to repoDir. */
  readonly appPath: string;
  /** Where every file the evaluation reads must be. */
  readonly boundary: Boundary;
  /** With the build environment already substituted (withBuildEnvironment). */
  readonly options: JsonnetOptions;
  /** Per process. @default 120_000 */
  readonly timeoutMs?: number;
}

export interface JsonnetRender {
  /** The objects of each evaluated file (keyed as given: relative to the source path). */
  readonly objects: ReadonlyMap<string, KubeObject[]>;
  /** Every other file the evaluations read, relative to repoDir, `/`-separated, sorted. */
  readonly imports: readonly string[];
  readonly processes: number;
  readonly processMs: number;
}

const ENV = { JSONNET_PATH: '', NO_COLOR: '1' };

/** Rewrites the absolute paths jsonnet prints into the names a user knows: repository-relative, `<extVars[0] …>`. */
type Rewrite = (text: string) => string;

function rewriter(replacements: readonly (readonly [string, string])[]): Rewrite {
  const ordered = [...replacements].filter(([from]) => from !== '').sort((a, b) => b[0].length - a[0].length);
  return (text) => ordered.reduce((out, [from, to]) => out.split(from).join(to), text);
}

/** The fix that fits jsonnet's message. */
function fixFor(message: string): string {
  if (/couldn't open import/.test(message)) {
    return 'check the import path: it is relative to the importing file, then to the source folder and the folders in spec.source.directory.jsonnet.libs (relative to the repository root)';
  }
  if (/Undefined external variable/.test(message)) return 'set the variable in spec.source.directory.jsonnet.extVars';
  if (/Missing argument|has no parameter/.test(message)) return "make spec.source.directory.jsonnet.tlas match the parameters of the file's top-level function";
  return 'fix the Jsonnet at the file and line shown';
}

/** A frame of jsonnet's stack trace that names a place: `apps/web/main.jsonnet:3:5-12` or `…:(3:5)-(4:2)`. */
const TRACE_LOCATION = /^\s*(\S+?:(?:\d+:\d+(?:-\d+)?|\(\d+:\d+\)-\(\d+:\d+\)))(?:\s|$)/;

/**
 * jsonnet's message as one headline that stands alone in a table (`RUNTIME ERROR: … (at file:line:col)`; a static
 * error starts with its place already), then the rest of its output: the stack trace or the offending source line.
 */
function toolFailure(who: string, stderr: string, rewrite: Rewrite): RenderError {
  const lines = rewrite(trimToolOutput(stderr)).split('\n').map((line) => line.replace(/\t/g, '  ').trimEnd());
  const [headline = 'jsonnet failed without a message', ...rest] = lines;
  const place = headline.startsWith('RUNTIME ERROR') ? rest.map((line) => TRACE_LOCATION.exec(line)?.[1]).find((found) => found !== undefined) : undefined;
  const detail = rest.length > 0 ? `\n${rest.join('\n')}` : '';
  return new RenderError(`${who}: ${headline}${place === undefined ? '' : ` (at ${place})`}${detail}`, { fix: fixFor(headline) });
}

/** A lib folder as Argo CD resolves it: relative (or "absolute") to the repository root, never outside it. */
async function libraryFolder(settings: JsonnetSettings, lib: string, index: number): Promise<string> {
  const joined = normalize(join(settings.repoDir, lib));
  if (!isInside(settings.repoDir, joined)) {
    throw new RenderError(`spec.source.directory.jsonnet.libs[${index}] "${lib}" leads outside the repository ${settings.boundary.label}`, {
      fix: 'list library folders inside the repository, relative to its root (e.g. vendor)',
    });
  }
  return (await resolveInside(settings.boundary, joined)) ?? joined;
}

function variableArguments(options: JsonnetOptions): string[] {
  const flag = (kind: 'ext' | 'tla', variable: JsonnetVariable): string[] => [`--${kind}-${variable.code ? 'code' : 'str'}`, `${variable.name}=${variable.value}`];
  return [...options.extVars.flatMap((variable) => flag('ext', variable)), ...options.tlas.flatMap((variable) => flag('tla', variable))];
}

/** The output of one file as Kubernetes objects, with Argo CD's rules for what a file may evaluate to. */
function objectsOf(output: string, shown: string): KubeObject[] {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch (error) {
    throw new RenderError(`${shown}: jsonnet did not print JSON`, { cause: error, fix: 'report this: jsonnet output should always be JSON' });
  }
  if (value === null) return [];
  if (isPlainObject(value)) {
    if (value.kind === undefined && Object.values(value).every(isPlainObject) && Object.keys(value).length > 0) {
      throw new RenderError(`${shown}: evaluates to an object of objects, not a Kubernetes object; Argo CD renders an object or an array of objects`, {
        fix: 'return std.objectValues(...) of it, or an array',
      });
    }
    return parseKubeObjects(JSON.stringify(value), { source: `${shown} (output)` });
  }
  if (!Array.isArray(value)) {
    throw new RenderError(`${shown}: evaluates to ${describeValue(value)}; Argo CD renders an object or an array of objects`, { fix: 'make the file evaluate to a Kubernetes object or an array of them' });
  }
  const objects: KubeObject[] = [];
  value.forEach((element: unknown, index) => {
    if (element === null) return; // Argo CD skips null entries
    if (!isPlainObject(element)) {
      throw new RenderError(`${shown}: element [${index}] of the output is ${describeValue(element)}; Argo CD renders only objects in the top-level array`, {
        fix: Array.isArray(element) ? 'flatten the array, e.g. with std.flattenArrays' : 'return Kubernetes objects only',
      });
    }
    objects.push(...parseKubeObjects(JSON.stringify(element), { source: `${shown} (output element [${index}])` }));
  });
  return objects;
}

/** Evaluates `files` (relative to the source path) and reports what they read. */
export async function renderJsonnetFiles(settings: JsonnetSettings, files: readonly string[]): Promise<JsonnetRender> {
  const jsonnet = findBinary('jsonnet');
  const jsonnetDeps = findBinary('jsonnet-deps');
  const timeoutMs = settings.timeoutMs ?? 120_000;
  const [repoReal, rootReal] = await Promise.all([realpath(settings.repoDir), realpath(settings.boundary.root).catch(() => settings.boundary.root)]);
  const appDir = join(settings.repoDir, settings.appPath);
  const libs = await Promise.all(settings.options.libs.map((lib, index) => libraryFolder(settings, lib, index)));
  const jpath = [appDir, ...libs].flatMap((dir) => ['-J', dir]);
  const work = await mkdtemp(join(tmpdir(), 'launchpad-jsonnet-'));
  const code = [...settings.options.extVars, ...settings.options.tlas].filter((variable) => variable.code);
  const codeFile = (index: number): string => join(work, 'code', `${index}.jsonnet`);
  const rewrite = rewriter([
    ...code.map((variable, index) => [codeFile(index), `<${variable.field} "${variable.name}">`] as const),
    [`${settings.repoDir}${sep}`, ''],
    [`${repoReal}${sep}`, ''],
    [work, '<temporary folder>'],
  ]);
  const imports = new Set<string>();
  let processes = 0;
  let processMs = 0;

  const run = async (binary: string, args: readonly string[], who: string): Promise<string> => {
    processes += 1;
    try {
      const result = await runProcess(binary, args, { cwd: work, env: ENV, timeoutMs, allowFailure: true, maxOutputBytes: inputLimits().maxFileSize });
      processMs += result.durationMs;
      if (result.exitCode !== 0) throw toolFailure(who, result.stderr || result.stdout, rewrite);
      return result.stdout;
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      throw new RenderError(`${who}: ${rewrite(error.message)}`, { errorClass: error.errorClass, cause: error });
    }
  };

  // Every file `path` can read, checked against the boundary before anything is evaluated.
  const checkDependencies = async (path: string, who: string): Promise<void> => {
    const listed = await run(jsonnetDeps, [path, ...jpath], who);
    for (const dependency of listed.split('\n').filter((line) => line !== '')) {
      if (!isInside(rootReal, dependency) && !isInside(settings.boundary.root, dependency)) {
        throw new RenderError(`${who} reads ${dependency} (an import, importstr or importbin — directly, through "../" or through a symlink), outside the repository ${settings.boundary.label}; Launchpad never reads files outside a repository`, {
          fix: 'import only files inside the repository: copy the library into it (e.g. a vendor folder) and list that folder in spec.source.directory.jsonnet.libs',
        });
      }
      imports.add(relative(repoReal, dependency).split(sep).join('/'));
    }
  };

  try {
    if (code.length > 0) await mkdir(join(work, 'code'));
    for (const [index, variable] of code.entries()) {
      await writeFile(codeFile(index), variable.value);
      await checkDependencies(codeFile(index), `spec.source.${variable.field} ("${variable.name}")`);
    }
    const objects = new Map<string, KubeObject[]>();
    const variables = variableArguments(settings.options);
    for (const file of files) {
      const shown = join(settings.appPath, file).split(sep).join('/');
      const path = join(appDir, file);
      await checkDependencies(path, shown);
      const output = await run(jsonnet, [path, ...variables, ...jpath], shown);
      objects.set(file, objectsOf(output, shown));
    }
    return { objects, imports: [...imports].sort(), processes, processMs };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
