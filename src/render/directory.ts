/**
 * The plain-directory renderer, as Argo CD's: every .yaml/.yml/.json/.jsonnet file in the source path (subfolders
 * only with `recurse`), filtered by `include`/`exclude` globs matched against the path relative to the source path,
 * where `*` also crosses folders and `{a,b}` lists alternatives; a file containing `+argocd:skip-file-rendering` is
 * left out. `.jsonnet` files are evaluated (./jsonnet.ts) and their objects take the file's place in the order;
 * `.libsonnet` files are never rendered, only imported.
 * Like Argo CD's walk, links to folders are not entered; a linked file is read only if it stays in the repository.
 */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import picomatch from 'picomatch';
import { RenderError } from '../errors.js';
import type { Boundary } from '../source/containment.js';
import { resolveInside } from '../source/containment.js';
import type { DirectorySource } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import { parseKubeObjects } from '../model/rendered-objects.js';
import { readTextFile } from '../source/read-text.js';
import { renderJsonnetFiles } from './jsonnet.js';
import type { JsonnetRender } from './jsonnet.js';
import { readJsonnetOptions, readsRevision, withBuildEnvironment } from './jsonnet-options.js';

// Argo CD's manifestFile pattern: .libsonnet is not in it.
const MANIFEST_FILE = /\.(ya?ml|json|jsonnet)$/;
const JSONNET_FILE = /\.jsonnet$/;
/** A selected file (YAML, JSON or Jsonnet) that contains this text, usually in a comment, is skipped, as in Argo CD. */
const SKIP_MARKER = '+argocd:skip-file-rendering';

/** What a Jsonnet evaluation needs besides the folder. */
export interface JsonnetContext {
  /** Absolute path of the checkout: the source path and `libs` are relative to it. */
  readonly repoDir: string;
  /** The source path, relative to repoDir. */
  readonly appPath: string;
  /** The ARGOCD_APP_* build environment substituted into extVars and tlas (argoBuildEnvironment). */
  readonly env: Readonly<Record<string, string>>;
}

export interface DirectoryRenderOptions {
  /** Absolute path of the folder to render. */
  readonly dir: string;
  readonly directory: DirectorySource | undefined;
  /** How to name files in errors, e.g. the path inside the repository. */
  readonly displayRoot: string;
  /** Where the files' links must stay (the repository); each file is checked before it is read. */
  readonly boundary?: Boundary;
  /** Required to render `.jsonnet` files. */
  readonly jsonnet?: JsonnetContext;
}

export interface DirectoryRenderResult {
  readonly objects: KubeObject[];
  /** Files read, relative to `dir`, sorted. */
  readonly files: string[];
  /**
   * What the render read, relative to the checkout, for the render cache and impact analysis: the folder, then each
   * file Jsonnet imported from outside it, then "." (the whole repository) when an extVar or tla reads
   * $ARGOCD_APP_REVISION, which changes with every commit.
   */
  readonly inputPaths: readonly string[];
  readonly processes: number;
  readonly processMs: number;
}

/** Argo CD's glob semantics: `*` matches across `/`, braces expand. */
function compileGlob(pattern: string | undefined): ((path: string) => boolean) | undefined {
  if (pattern === undefined || pattern === '') return undefined;
  return picomatch(pattern, { bash: true, dot: true });
}

async function listFiles(dir: string, recurse: boolean): Promise<string[]> {
  const out: string[] = [];
  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true });
    for (const entry of entries) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) {
        if (recurse && entry.name !== '.git') await walk(full);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        out.push(relative(dir, full));
      }
    }
  };
  await walk(dir);
  return out.sort();
}

async function selectFiles(options: DirectoryRenderOptions): Promise<string[]> {
  const include = compileGlob(options.directory?.include);
  const exclude = compileGlob(options.directory?.exclude);
  const candidates = await listFiles(options.dir, options.directory?.recurse === true);
  return candidates.filter((file) => {
    const name = file.split('/').pop() ?? file;
    if (!MANIFEST_FILE.test(name)) return false;
    if (exclude?.(file) === true) return false;
    return include === undefined || include(file);
  });
}

export async function renderDirectory(options: DirectoryRenderOptions): Promise<DirectoryRenderResult> {
  const selected = await selectFiles(options);
  for (const file of selected) {
    if (options.boundary !== undefined) await resolveInside(options.boundary, join(options.dir, file));
  }
  const evaluated = await evaluateJsonnet(options, await unmarked(options.dir, selected.filter((file) => JSONNET_FILE.test(file))));
  const objects: KubeObject[] = [];
  for (const file of selected) {
    if (JSONNET_FILE.test(file)) {
      objects.push(...(evaluated.objects.get(file) ?? []));
      continue;
    }
    const text = await readTextFile(join(options.dir, file), 'fix or remove the file');
    if (!text.includes(SKIP_MARKER)) objects.push(...parseKubeObjects(text, { source: join(options.displayRoot, file) }));
  }
  const imports = evaluated.imports.filter((file) => !isUnder(options.displayRoot, file));
  const inputPaths = [options.displayRoot, ...imports, ...(evaluated.readsRevision ? ['.'] : [])];
  return { objects, files: selected, inputPaths, processes: evaluated.processes, processMs: evaluated.processMs };
}

/** The files without Argo CD's skip marker. */
async function unmarked(dir: string, files: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    if (!(await readTextFile(join(dir, file), 'fix or remove the file')).includes(SKIP_MARKER)) out.push(file);
  }
  return out;
}

function isUnder(folder: string, file: string): boolean {
  return folder === '.' || folder === '' || file === folder || file.startsWith(`${folder.replace(/\/+$/, '')}/`);
}

async function evaluateJsonnet(options: DirectoryRenderOptions, files: readonly string[]): Promise<JsonnetRender & { readsRevision: boolean }> {
  if (files.length === 0) return { objects: new Map(), imports: [], processes: 0, processMs: 0, readsRevision: false };
  const context = options.jsonnet;
  if (context === undefined || options.boundary === undefined) {
    throw new RenderError(`${join(options.displayRoot, files[0] ?? '')}: Jsonnet can only be rendered from a repository checkout`, { fix: 'render the folder as an Application source' });
  }
  const written = readJsonnetOptions(options.directory?.jsonnet);
  const rendered = await renderJsonnetFiles({ repoDir: context.repoDir, appPath: context.appPath, boundary: options.boundary, options: withBuildEnvironment(written, context.env) }, files);
  return { ...rendered, readsRevision: readsRevision(written) };
}
