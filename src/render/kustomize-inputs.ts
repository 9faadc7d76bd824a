/**
 * Which folders a `kustomize build` reads. Kustomize only loads files inside a kustomization's own folder, but
 * `resources`, `bases` and `components` can name other folders of the repository (`../../base`); following those
 * gives the set of folders whose content decides the output — what the render cache and impact analysis key on.
 * A remote resource (a URL) makes the set open-ended: the caller must not cache such a render.
 */
import { dirname, join, normalize, relative, sep } from 'node:path';
import { RenderError } from '../errors.js';
import { readTextFile } from '../source/read-text.js';
import { parseYamlValue } from '../model/yaml-guard.js';
import type { Boundary } from '../source/containment.js';
import { assertInside } from '../source/containment.js';
import { findKustomization } from './kustomize.js';

export interface KustomizeInputs {
  /** Folders relative to the repository root, sorted. */
  readonly dirs: string[];
  /** True when a resource is remote (URL), so the inputs are not all in the repository. */
  readonly remote: boolean;
}

const REMOTE = /^(https?:\/\/|git@|ssh:\/\/|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/;

function referencedPaths(kustomization: Record<string, unknown>): string[] {
  const lists = ['resources', 'bases', 'components'].map((key) => kustomization[key]);
  return lists.flatMap((list) => (Array.isArray(list) ? list.filter((entry): entry is string => typeof entry === 'string') : []));
}

/**
 * The folders `kustomize build` of `appPath` reads. Each is checked against the repository boundary — every file and
 * link in it, since kustomize reads patches and generator files from anywhere below a kustomization — before its
 * kustomization is read.
 */
export async function kustomizeInputs(repoDir: string, appPath: string, boundary: Boundary): Promise<KustomizeInputs> {
  const seen = new Set<string>();
  let remote = false;
  const visit = async (dir: string, referrer?: string): Promise<void> => {
    const rel = normalize(relative(repoDir, dir)) || '.';
    if (rel.startsWith(`..${sep}`) || rel === '..') {
      throw new RenderError(`${referrer ?? appPath} refers to "${relative(dirname(join(repoDir, referrer ?? appPath)), dir)}", which is outside the repository ${boundary.label}`, {
        fix: 'refer only to folders inside the repository, or to a remote base by its URL',
      });
    }
    if (seen.has(rel)) return;
    seen.add(rel);
    await assertInside(boundary, dir);
    const fileName = await findKustomization(dir);
    if (fileName === undefined) return;
    let kustomization: unknown;
    try {
      kustomization = parseYamlValue(await readTextFile(join(dir, fileName), 'fix the kustomization'), join(dir, fileName));
    } catch {
      return; // kustomize itself reports the syntax error
    }
    if (typeof kustomization !== 'object' || kustomization === null) return;
    for (const entry of referencedPaths(kustomization as Record<string, unknown>)) {
      if (REMOTE.test(entry)) remote = true;
      else await visit(join(dir, entry), join(rel, fileName));
    }
  };
  await visit(join(repoDir, appPath));
  // A folder inside another already covers it.
  const dirs = [...seen].sort().filter((dir, _, all) => !all.some((other) => other !== dir && (other === '.' || dir.startsWith(`${other}/`))));
  return { dirs, remote };
}
