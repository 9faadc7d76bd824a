/**
 * The clusterDecisionResource generator (duck-typed): a ConfigMap names a resource (`apiVersion`, `kind` — the
 * plural resource name, as Argo CD reads it —, `statusListKey`, `matchKey`); the resources selected by `name` or
 * `labelSelector` list cluster decisions in `status.<statusListKey>`; each decision whose `matchKey` value names a
 * known cluster gives `name`, `server`, every field of the decision (as text) and `values`.
 */
import { LaunchpadError } from '../../errors.js';
import { isPlainObject } from '../../model/values.js';
import type { GeneratorContext } from '../context.js';
import { goString } from '../params.js';
import type { Params } from '../params.js';
import type { TemplateMode } from '../render.js';
import { formatSelector, isEmptySelector, readSelector } from '../selector.js';
import { IN_CLUSTER, secretField } from './clusters.js';
import { readValues } from './values.js';

async function knownClusters(context: GeneratorContext): Promise<{ readonly name: string; readonly server: string }[]> {
  const secrets = await context.clusterSecrets();
  const clusters = secrets.map((secret) => ({ name: secretField(secret, 'name') ?? '', server: secretField(secret, 'server') ?? '' }));
  return clusters.some((cluster) => cluster.server === IN_CLUSTER.server) ? clusters : [...clusters, { ...IN_CLUSTER }];
}

interface DuckConfig {
  readonly apiVersion: string;
  readonly resource: string;
  readonly name: string;
  readonly labelSelector: string | undefined;
}

function duckConfig(spec: Readonly<Record<string, unknown>>, config: Readonly<Record<string, string>>, where: string): DuckConfig {
  const apiVersion = config.apiVersion ?? '';
  const resource = config.kind ?? '';
  const name = typeof spec.name === 'string' ? spec.name : '';
  const selector = readSelector(spec.labelSelector, `${where}.labelSelector`) ?? {};
  if (resource === '' || apiVersion.indexOf('/') < 1) throw new LaunchpadError(`${where}: there is a problem with the apiVersion, kind or resourceName provided`, { fix: 'set apiVersion (group/version) and kind (the plural resource name) in the generator\'s ConfigMap' });
  if ((name === '') === isEmptySelector(selector)) throw new LaunchpadError(`${where}: there is a problem with the definition of the ClusterDecisionResource generator`, { fix: 'give either name or labelSelector' });
  return { apiVersion, resource, name, labelSelector: name === '' ? formatSelector(selector) : undefined };
}

export async function clusterDecisionParams(spec: Readonly<Record<string, unknown>>, context: GeneratorContext, mode: TemplateMode, where: string): Promise<Params[]> {
  const configMapName = typeof spec.configMapRef === 'string' ? spec.configMapRef : '';
  const config = await context.configMap(configMapName);
  if (config === undefined) throw new LaunchpadError(`${where}: error reading configMapRef: ConfigMap ${context.namespace}/${configMapName} not found`);
  const duck = duckConfig(spec, config, where);
  const objects = (await context.listResources(duck.apiVersion, duck.resource, duck.labelSelector)).filter((object) => duck.name === '' || object.metadata.name === duck.name);
  if (objects.length === 0) throw new LaunchpadError(`${where}: no clusterDecisionResources found`);
  const matchKey = config.matchKey ?? '';
  if (matchKey === '') return [];
  const listKey = config.statusListKey !== undefined && config.statusListKey !== '' ? config.statusListKey : 'clusters';
  const decisions = objects.flatMap((object): unknown[] => (isPlainObject(object.status) && Array.isArray(object.status[listKey]) ? object.status[listKey] as unknown[] : [])).filter(isPlainObject);
  const clusters = await knownClusters(context);
  const values = readValues(spec.values, where);
  return decisions.flatMap((decision) => {
    const wanted = decision[matchKey];
    const cluster = wanted === undefined || wanted === null ? undefined : clusters.find((known) => known.name === goString(wanted));
    if (cluster === undefined) return [];
    const params: Params = { name: cluster.name, server: cluster.server };
    for (const [key, value] of Object.entries(decision)) params[key] = goString(value);
    // Argo CD adds these values as written, without templating them.
    if (mode.goTemplate) {
      if (Object.keys(values).length > 0) params.values = { ...values };
    } else for (const [key, value] of Object.entries(values)) params[`values.${key}`] = value;
    return [params];
  });
}
