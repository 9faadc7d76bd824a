/**
 * Which tool renders a source, decided as Argo CD decides it: an explicit `helm`, `kustomize`, `directory` (or
 * `plugin`) block wins; otherwise the folder is inspected — Chart.yaml means Helm, a kustomization file means
 * Kustomize, anything else is a plain directory.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RenderError } from '../errors.js';
import type { ApplicationSource } from '../model/application.js';
import { findKustomization } from './kustomize.js';
import type { SourceType } from './types.js';

export async function detectSourceType(source: ApplicationSource, dir: string): Promise<SourceType> {
  if (source.plugin !== undefined) {
    throw new RenderError('config management plugins (spec.source.plugin) are not supported yet', { fix: 'render with Helm, Kustomize or a plain directory' });
  }
  const explicit = (['helm', 'kustomize', 'directory'] as const).filter((type) => source[type] !== undefined);
  if (explicit.length > 1) {
    throw new RenderError(`the source sets ${explicit.join(' and ')} options; only one tool can render it`, { fix: `keep only one of spec.source.${explicit.join(' / ')}` });
  }
  const [only] = explicit;
  if (only !== undefined) return only;
  if (source.chart !== undefined) return 'helm';
  const chartYaml = await stat(join(dir, 'Chart.yaml')).then((s) => s.isFile(), () => false);
  if (chartYaml) return 'helm';
  return (await findKustomization(dir)) === undefined ? 'directory' : 'kustomize';
}
