/**
 * The plain-directory renderer, as Argo CD's: every .yaml/.yml/.json file in the source path (subfolders only with
 * `recurse`), filtered by `include`/`exclude` globs matched against the path relative to the source path, where `*`
 * also crosses folders and `{a,b}` lists alternatives. Jsonnet is recognised and refused with a clear message.
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

const MANIFEST_FILE = /\.(ya?ml|json)$/;
const JSONNET_FILE = /\.(jsonnet|libsonnet)$/;

export interface DirectoryRenderOptions {
  /** Absolute path of the folder to render. */
  readonly dir: string;
  readonly directory: DirectorySource | undefined;
  /** How to name files in errors, e.g. the path inside the repository. */
  readonly displayRoot: string;
  /** Where the files' links must stay (the repository); each file is checked before it is read. */
  readonly boundary?: Boundary;
}

export interface DirectoryRenderResult {
  readonly objects: KubeObject[];
  /** Files read, relative to `dir`, sorted. */
  readonly files: string[];
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

export async function renderDirectory(options: DirectoryRenderOptions): Promise<DirectoryRenderResult> {
  const include = compileGlob(options.directory?.include);
  const exclude = compileGlob(options.directory?.exclude);
  const candidates = await listFiles(options.dir, options.directory?.recurse === true);
  const selected = candidates.filter((file) => {
    const name = file.split('/').pop() ?? file;
    if (!MANIFEST_FILE.test(name) && !JSONNET_FILE.test(name)) return false;
    if (exclude?.(file) === true) return false;
    return include === undefined || include(file);
  });
  const jsonnet = selected.find((file) => JSONNET_FILE.test(file));
  if (jsonnet !== undefined) {
    throw new RenderError(`${join(options.displayRoot, jsonnet)}: Jsonnet is not supported yet`, {
      fix: 'render it to YAML in CI, or exclude it with spec.source.directory.exclude',
    });
  }
  const objects: KubeObject[] = [];
  for (const file of selected) {
    if (options.boundary !== undefined) await resolveInside(options.boundary, join(options.dir, file));
    const text = await readTextFile(join(options.dir, file), 'fix or remove the file');
    objects.push(...parseKubeObjects(text, { source: join(options.displayRoot, file) }));
  }
  return { objects, files: selected };
}
