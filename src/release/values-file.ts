/**
 * Which file of the values repository holds an application's image version. The example platform's layout (the
 * seed's helm-prod-values): `<app>/values.yaml` shared by every cluster and `<app>/values-<cluster>.yaml` for what
 * one cluster overrides — the Applications list both, the cluster's file last. `--file` takes another layout, with
 * `{app}` and `{cluster}` filled in. Pure.
 */
import { posix } from 'node:path';
import { InputError } from '../errors.js';

export const DEFAULT_FILE = '{app}/values.yaml';
export const DEFAULT_CLUSTER_FILE = '{app}/values-{cluster}.yaml';

/** Application and cluster names become path parts: they may not climb out of the repository. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

export interface ValuesTarget {
  readonly app: string;
  readonly cluster?: string;
  /** `--file`; @default DEFAULT_FILE, or DEFAULT_CLUSTER_FILE with a cluster */
  readonly file?: string;
}

function checkName(flag: string, value: string): void {
  if (!NAME.test(value) || value.includes('..')) {
    throw new InputError({ file: flag }, `${JSON.stringify(value)} is not a valid name`, { fix: 'use letters, digits, ".", "_" and "-" (the folder name in the values repository)' });
  }
}

/** The file's path inside the repository, `/`-separated and relative. */
export function valuesFilePath(target: ValuesTarget): string {
  checkName('--app', target.app);
  if (target.cluster !== undefined) checkName('--cluster', target.cluster);
  const template = target.file ?? (target.cluster === undefined ? DEFAULT_FILE : DEFAULT_CLUSTER_FILE);
  if (template.includes('{cluster}') && target.cluster === undefined) {
    throw new InputError({ file: '--file' }, `${template} names {cluster} but no --cluster was given`, { fix: 'add --cluster <name>' });
  }
  const filled = template.split('{app}').join(target.app).split('{cluster}').join(target.cluster ?? '');
  const path = posix.normalize(filled.replace(/\\/g, '/'));
  if (path.startsWith('/') || path === '..' || path.startsWith('../') || path === '.') {
    throw new InputError({ file: '--file' }, `${filled} is not a file inside the values repository`, { fix: 'give a path relative to the repository top, e.g. {app}/values.yaml' });
  }
  return path;
}
