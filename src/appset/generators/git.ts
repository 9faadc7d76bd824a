/**
 * The git generator, with Argo CD's parameter names. Directories: every folder of the repository (hidden ones left
 * out) matching an included `path` pattern and no excluded one gives `path`, `path.basename`,
 * `path.basenameNormalized`, `path[n]` (fasttemplate) or `.path.path`, `.path.basename`, `.path.segments`…
 * (goTemplate). Files: every JSON/YAML file an included pattern lists, minus the excluded ones, in path order, gives
 * its content (flattened with dots in fasttemplate mode; one set per list item) plus the same path parameters and
 * `path.filename`. `pathParamPrefix` moves the path parameters under a prefix.
 */
import { posix } from 'node:path';
import { parse } from 'yaml';
import { LaunchpadError } from '../../errors.js';
import { describeError } from '../../errors.js';
import { describeValue, isPlainObject } from '../../model/values.js';
import type { GeneratorContext } from '../context.js';
import { gitPathspecMatch, goPathMatch } from '../glob.js';
import { sanitizeName } from '../names.js';
import { flattenParams } from '../params.js';
import type { Params } from '../params.js';
import type { TemplateMode } from '../render.js';
import { appendValues, readValues } from './values.js';

interface PathItem {
  readonly path: string;
  readonly exclude: boolean;
}

function readItems(value: unknown, where: string): PathItem[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new LaunchpadError(`${where} must be a list of {path, exclude}`);
  return value.map((item: unknown, index) => {
    if (!isPlainObject(item) || typeof item.path !== 'string') throw new LaunchpadError(`${where}[${index}].path must be a string`);
    return { path: item.path, exclude: item.exclude === true };
  });
}

/** Path parameters of one folder (`dir`) and, for the files generator, one file. */
function pathParams(dir: string, file: string | undefined, prefix: string, goTemplate: boolean): Params {
  const basename = posix.basename(dir);
  if (goTemplate) {
    const path: Params = { path: dir, basename, basenameNormalized: sanitizeName(basename), segments: dir.split('/') };
    if (file !== undefined) Object.assign(path, { filename: posix.basename(file), filenameNormalized: sanitizeName(posix.basename(file)) });
    return prefix === '' ? { path } : { [prefix]: { path } };
  }
  const name = prefix === '' ? 'path' : `${prefix}.path`;
  const params: Params = { [name]: dir, [`${name}.basename`]: basename, [`${name}.basenameNormalized`]: sanitizeName(basename) };
  if (file !== undefined) Object.assign(params, { [`${name}.filename`]: posix.basename(file), [`${name}.filenameNormalized`]: sanitizeName(posix.basename(file)) });
  dir.split('/').forEach((segment, index) => {
    if (segment !== '') params[`${name}[${index}]`] = segment;
  });
  return params;
}

function parseGitFile(text: string, file: string): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new LaunchpadError(`unable to parse file '${file}': ${describeError(error)}`);
  }
  if (parsed === null || parsed === undefined) return [{}];
  if (isPlainObject(parsed)) return [parsed];
  if (Array.isArray(parsed) && parsed.every(isPlainObject)) return parsed;
  throw new LaunchpadError(`unable to parse file '${file}': it holds ${describeValue(parsed)}, not a mapping or a list of mappings`);
}

interface GitSpec {
  readonly repoURL: string;
  readonly revision: string;
  readonly prefix: string;
  readonly values: Readonly<Record<string, string>>;
  readonly where: string;
}

async function directoryParams(spec: GitSpec, items: readonly PathItem[], context: GeneratorContext, mode: TemplateMode): Promise<Params[]> {
  const tree = await context.git(spec.repoURL, spec.revision);
  const selected = (await tree.directories()).filter((dir) => {
    const matching = items.filter((item) => goPathMatch(item.path, dir));
    return matching.some((item) => !item.exclude) && !matching.some((item) => item.exclude);
  });
  return selected.map((dir) => {
    const params = pathParams(dir, undefined, spec.prefix, mode.goTemplate);
    appendValues(spec.values, params, mode);
    return params;
  });
}

async function fileParams(spec: GitSpec, items: readonly PathItem[], context: GeneratorContext, mode: TemplateMode): Promise<Params[]> {
  const tree = await context.git(spec.repoURL, spec.revision);
  const all = await tree.files();
  const included = new Set(items.filter((item) => !item.exclude).flatMap((item) => all.filter((file) => gitPathspecMatch(item.path, file))));
  for (const item of items.filter((entry) => entry.exclude)) for (const file of all) if (gitPathspecMatch(item.path, file)) included.delete(file);
  const result: Params[] = [];
  for (const file of [...included].sort()) {
    let objects: Record<string, unknown>[];
    try {
      objects = parseGitFile(await tree.read(file), file);
    } catch (error) {
      throw new LaunchpadError(`unable to process file '${file}' from repository '${spec.repoURL}': ${describeError(error)}`, { cause: error });
    }
    for (const object of objects) {
      const content: Params = mode.goTemplate ? { ...object } : flattenParams(object);
      const params = { ...content, ...pathParams(posix.dirname(file), file, spec.prefix, mode.goTemplate) };
      appendValues(spec.values, params, mode);
      result.push(params);
    }
  }
  return result;
}

export async function gitParams(raw: Readonly<Record<string, unknown>>, context: GeneratorContext, mode: TemplateMode, where: string): Promise<Params[]> {
  if (typeof raw.repoURL !== 'string' || raw.repoURL === '') throw new LaunchpadError(`${where}.repoURL must be the repository URL`);
  const spec: GitSpec = {
    repoURL: raw.repoURL,
    revision: typeof raw.revision === 'string' ? raw.revision : '',
    prefix: typeof raw.pathParamPrefix === 'string' ? raw.pathParamPrefix : '',
    values: readValues(raw.values, where),
    where,
  };
  const directories = readItems(raw.directories, `${where}.directories`);
  if (directories.length > 0) return directoryParams(spec, directories, context, mode);
  const files = readItems(raw.files, `${where}.files`);
  if (files.length > 0) return fileParams(spec, files, context, mode);
  throw new LaunchpadError(`${where} needs directories or files`);
}
