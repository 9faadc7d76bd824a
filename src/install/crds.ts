/**
 * The Application and AppProject CustomResourceDefinitions, read at run time from the static YAML files in
 * `deploy/crds/` so that the files a reviewer reads (and `kubectl apply -f deploy/crds/` installs) are exactly what
 * `launchpad install` applies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { LaunchpadError } from '../errors.js';
import type { KubeObject } from '../model/resource.js';
import { isPlainObject } from '../model/values.js';

/** The CRD files, in apply order. */
export const CRD_FILES = ['applications.argoproj.io.yaml', 'appprojects.argoproj.io.yaml'] as const;

/**
 * Where `deploy/crds/` is relative to this module: compiled, it runs from `dist/src/install/` (in the repository and
 * in an installed package alike); `src/install/` covers running the TypeScript directly.
 */
const CANDIDATE_DIRS = ['../../../deploy/crds/', '../../deploy/crds/'] as const;

/** The folder holding the CRD files. */
export function crdDirectory(): URL {
  for (const candidate of CANDIDATE_DIRS) {
    const dir = new URL(candidate, import.meta.url);
    if (CRD_FILES.every((file) => existsSync(new URL(file, dir)))) return dir;
  }
  const tried = CANDIDATE_DIRS.map((candidate) => fileURLToPath(new URL(candidate, import.meta.url))).join(', ');
  throw new LaunchpadError(`the CustomResourceDefinition files (${CRD_FILES.join(', ')}) are missing; looked in ${tried}`, {
    fix: 'reinstall Launchpad (its package must ship the deploy/ folder), or install without CRDs (--no-crds) when Argo CD\'s are in the cluster',
  });
}

function readCrd(dir: URL, file: string): KubeObject {
  const path = fileURLToPath(new URL(file, dir));
  const parsed: unknown = parse(readFileSync(path, 'utf8'));
  const isCrd = isPlainObject(parsed) && parsed.kind === 'CustomResourceDefinition' && typeof parsed.apiVersion === 'string' && isPlainObject(parsed.metadata);
  if (!isCrd) throw new LaunchpadError(`${path} is not a CustomResourceDefinition`, { fix: 'reinstall Launchpad; the file was changed' });
  return parsed as unknown as KubeObject;
}

/** The Application and AppProject CRDs, freshly read (callers may keep or change them). */
export function crdManifests(): KubeObject[] {
  const dir = crdDirectory();
  return CRD_FILES.map((file) => readCrd(dir, file));
}
