/**
 * Which tool renders a source, decided as Argo CD decides it: an explicit `helm`, `kustomize`, `directory` or
 * `plugin` block wins (two are an error); otherwise a declared plugin whose discovery rule matches (source-render
 * asks the plugins first), then the folder is inspected — Chart.yaml means Helm, a kustomization file means
 * Kustomize, anything else is a plain directory.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RenderError } from '../errors.js';
import type { ApplicationSource } from '../model/application.js';
import { findKustomization } from './kustomize.js';
import type { SourceType } from './types.js';

/** The tool the source names with an options block, if any. */
export function explicitSourceType(source: ApplicationSource): SourceType | undefined {
  const explicit = (['helm', 'kustomize', 'directory', 'plugin'] as const).filter((type) => source[type] !== undefined);
  if (explicit.length > 1) {
    throw new RenderError(`the source sets ${explicit.join(' and ')} options; only one tool can render it`, { fix: `keep only one of spec.source.${explicit.join(' / ')}` });
  }
  return explicit[0];
}

/** The tool for a source no plugin took: explicit, else Helm, Kustomize or a plain directory by the folder's files. */
export async function detectSourceType(source: ApplicationSource, dir: string): Promise<Exclude<SourceType, 'plugin'>> {
  const only = explicitSourceType(source);
  if (only === 'plugin') throw new RenderError('internal: a plugin source reached tool detection', { fix: 'report this as a bug' });
  if (only !== undefined) return only;
  if (source.chart !== undefined) return 'helm';
  const chartYaml = await stat(join(dir, 'Chart.yaml')).then((s) => s.isFile(), () => false);
  if (chartYaml) return 'helm';
  return (await findKustomization(dir)) === undefined ? 'directory' : 'kustomize';
}
