/**
 * The clusters generator: one parameter set per cluster Secret matching `selector` (name, nameNormalized, server,
 * project, metadata labels and annotations), plus the controller's own cluster (`in-cluster`) when no selector is
 * given and no Secret already describes it; `values` templated per cluster; `flatList` puts them all in one set.
 */
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import type { GeneratorContext } from '../context.js';
import { sanitizeName } from '../names.js';
import type { Params } from '../params.js';
import type { TemplateMode } from '../render.js';
import { isEmptySelector, readSelector, selectorMatches } from '../selector.js';
import { appendValues, readValues } from './values.js';

export const IN_CLUSTER = { name: 'in-cluster', server: 'https://kubernetes.default.svc' } as const;

/** A Secret's `data` key, decoded (`stringData` too: Secrets written in Git by hand use it). */
export function secretField(secret: KubeObject, key: string): string | undefined {
  const data = secret.data;
  if (isPlainObject(data) && typeof data[key] === 'string') return Buffer.from(data[key], 'base64').toString('utf8');
  const stringData = secret.stringData;
  if (isPlainObject(stringData) && typeof stringData[key] === 'string') return stringData[key];
  return undefined;
}

function clusterParams(secret: KubeObject, goTemplate: boolean): Params {
  const name = secretField(secret, 'name') ?? '';
  const params: Params = { name, nameNormalized: sanitizeName(name), server: secretField(secret, 'server') ?? '', project: secretField(secret, 'project') ?? '' };
  const labels = secret.metadata.labels ?? {};
  const annotations = secret.metadata.annotations ?? {};
  if (goTemplate) {
    params.metadata = { ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}), ...(Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}) };
  } else {
    for (const [key, value] of Object.entries(annotations)) params[`metadata.annotations.${key}`] = value;
    for (const [key, value] of Object.entries(labels)) params[`metadata.labels.${key}`] = value;
  }
  return params;
}

export async function clusterParamsOf(spec: Readonly<Record<string, unknown>>, context: GeneratorContext, mode: TemplateMode, where: string): Promise<Params[]> {
  const selector = readSelector(spec.selector, `${where}.selector`) ?? {};
  const values = readValues(spec.values, where);
  const secrets = (await context.clusterSecrets()).filter((secret) => selectorMatches(selector, secret.metadata.labels ?? {}));
  // Argo CD keys the Secrets by cluster name (the last one of a name wins); sorted here, for a stable order.
  const byName = new Map<string, KubeObject>();
  for (const secret of secrets) byName.set(secretField(secret, 'name') ?? '', secret);
  const result: Params[] = [];
  for (const name of [...byName.keys()].sort()) {
    const secret = byName.get(name);
    if (secret === undefined) continue;
    const params = clusterParams(secret, mode.goTemplate);
    appendValues(values, params, mode);
    result.push(params);
  }
  const describesInCluster = secrets.some((secret) => secretField(secret, 'server') === IN_CLUSTER.server);
  if (isEmptySelector(selector) && !describesInCluster) {
    const params: Params = { name: IN_CLUSTER.name, nameNormalized: IN_CLUSTER.name, server: IN_CLUSTER.server, project: '' };
    appendValues(values, params, mode);
    result.push(params);
  }
  return spec.flatList === true ? [{ clusters: result }] : result;
}
