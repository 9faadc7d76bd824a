/**
 * Mutate-existing rules offline (`launchpad policy apply --target-resource`, `policy test` with `targetResources`):
 * there is no cluster to read targets from, so they are chosen among the objects given on the command line or in
 * the test, and the patched targets are shown instead of written.
 */
import { dump as dumpYaml } from 'js-yaml';
import type { ClusterReader, KubeObject, LoadedPolicy, MutateExistingResult, Operation, PatchedTarget, UserInfo } from './api.js';
import { mutateExisting } from './mutate-existing.js';

/** Reads targets from a fixed set of objects, as a ClusterReader would from the cluster. */
export function poolReader(objects: readonly KubeObject[]): ClusterReader {
  const inNamespace = (object: KubeObject, namespace: string): boolean => namespace === '' || (object.metadata.namespace ?? '') === namespace;
  return {
    get: (apiVersion, kind, namespace, name) =>
      Promise.resolve(objects.find((o) => o.apiVersion === apiVersion && o.kind === kind && (o.metadata.namespace ?? '') === namespace && o.metadata.name === name)),
    list: (apiVersion, kind, namespace, selector) =>
      Promise.resolve(objects.filter((o) => o.apiVersion === apiVersion && o.kind === kind && inNamespace(o, namespace) && Object.entries(selector ?? {}).every(([key, value]) => o.metadata.labels?.[key] === value))),
  };
}

export interface OfflineTrigger {
  readonly trigger: KubeObject;
  /** Where targets are looked for. */
  readonly pool: readonly KubeObject[];
  /** @default CREATE */
  readonly operation?: Operation;
  readonly userInfo?: UserInfo;
}

/** The mutate-existing rules of `policies` for one trigger; undefined when no policy has one. */
export async function mutateExistingOffline(policies: readonly LoadedPolicy[], input: OfflineTrigger): Promise<MutateExistingResult | undefined> {
  if (!policies.some((policy) => policy.rules.some((rule) => rule.mutateExisting === true))) return undefined;
  return mutateExisting(policies, { operation: input.operation ?? 'CREATE', trigger: input.trigger, ...(input.userInfo === undefined ? {} : { userInfo: input.userInfo }) }, poolReader(input.pool));
}

/** The patched targets as a YAML stream, each preceded by a comment naming the rules that changed it. */
export function patchedTargetsYaml(targets: readonly PatchedTarget[]): string {
  return targets.map((target) => `# patched by ${target.by.join(', ')}\n${dumpYaml(target.patched, { noRefs: true, lineWidth: -1 })}---\n`).join('');
}
