/**
 * A packaged chart repository on disk (a folder with `index.yaml` and `.tgz` packages, as `helm repo index`
 * writes it), used through a launchpad.yaml `path` entry. The chosen package is unpacked once into
 * `<cache>/charts/<slug>/<chart>/<version>-<content hash>/`: the hash, because a local package can be rebuilt
 * under the same version.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceError } from '../errors.js';
import { runProcess } from '../process/run.js';
import { pathExists, publishDirectory, tempSibling } from './cache-dir.js';
import { parseIndex, selectFromIndex } from './helm-index.js';
import { cacheSlug } from './url.js';

export interface LocalChartRequest {
  /** The repository folder (holds index.yaml). */
  readonly folder: string;
  readonly chart: string;
  readonly version: string;
  readonly cacheDir: string;
}

/** True when the folder is a packaged chart repository. */
export function isPackagedRepository(folder: string): Promise<boolean> {
  return pathExists(join(folder, 'index.yaml'));
}

/** Unpacks the selected version (once) and returns its directory and exact version. */
export async function resolveLocalChart(request: LocalChartRequest): Promise<{ readonly dir: string; readonly version: string }> {
  const { folder, chart } = request;
  const index = parseIndex(await readFile(join(folder, 'index.yaml'), 'utf8'), folder);
  const entry = selectFromIndex(index, { chart, requested: request.version, label: folder });
  const url = entry.urls[0];
  if (url === undefined || /^https?:\/\//i.test(url)) {
    throw new SourceError(`chart "${chart}" ${entry.version} in ${join(folder, 'index.yaml')} has no local package (url: ${url ?? 'none'})`, {
      fix: `run "helm repo index ${folder}" so the index points at the .tgz files beside it`,
    });
  }
  const tgz = /^file:/i.test(url) ? fileURLToPath(url) : resolve(folder, url);
  const digest = createHash('sha256').update(await readFile(tgz)).digest('hex').slice(0, 12);
  const dir = join(request.cacheDir, 'charts', cacheSlug(folder), chart, `${entry.version}-${digest}`);
  if (!(await pathExists(dir))) await unpack(tgz, { chart, dir });
  return { dir, version: entry.version };
}

async function unpack(tgz: string, target: { readonly chart: string; readonly dir: string }): Promise<void> {
  const staging = await tempSibling(target.dir);
  try {
    await runProcess('tar', ['-xzf', tgz, '-C', staging]);
    if (!(await pathExists(join(staging, target.chart, 'Chart.yaml')))) {
      throw new SourceError(`${tgz} does not hold ${target.chart}/Chart.yaml`, { fix: 'repackage it with "helm package"' });
    }
    await publishDirectory(join(staging, target.chart), target.dir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
