/**
 * The sync plan. The order rule, written down once: 1. phase (PreSync, Sync, PostSync; SyncFail only on failure)
 * 2. wave (`argocd.argoproj.io/sync-wave`, for hooks then `helm.sh/hook-weight`) 3. kind (Helm's install order, which
 * Argo CD uses; unknown kinds last) 4. name. Prune runs in the reverse order.
 */
import { ANNOTATION } from '../model/annotations.js';
import { syncWaveOf } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import { resourceKey, resourceKeyString } from '../model/resource.js';
import type { HookInfo, SyncPhase } from './hooks.js';
import { hookInfo } from './hooks.js';

const KIND_ORDER: readonly string[] = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount',
  'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition',
  'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding',
  'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment',
  'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
];
const KIND_INDEX = new Map(KIND_ORDER.map((kind, index) => [kind, index]));

/** The position of a kind in the apply order; unknown kinds (custom resources) go last. */
export function kindRank(kind: string): number {
  return KIND_INDEX.get(kind) ?? KIND_ORDER.length;
}

export interface SyncTask {
  readonly object: KubeObject;
  readonly id: string;
  readonly phase: SyncPhase;
  readonly wave: number;
  readonly hook: HookInfo;
}

function waveOf(object: KubeObject, hook: HookInfo): number {
  const annotations = object.metadata.annotations;
  if (annotations?.[ANNOTATION.syncWave] !== undefined || hook.phase === undefined) return syncWaveOf(annotations);
  const weight = Number.parseInt(annotations?.[ANNOTATION.helmHookWeight] ?? '0', 10);
  return Number.isNaN(weight) ? 0 : weight;
}

export function compareTasks(a: SyncTask, b: SyncTask): number {
  const phases: readonly SyncPhase[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];
  return (
    phases.indexOf(a.phase) - phases.indexOf(b.phase) ||
    a.wave - b.wave ||
    kindRank(a.object.kind) - kindRank(b.object.kind) ||
    (a.object.metadata.name ?? a.object.metadata.generateName ?? '').localeCompare(b.object.metadata.name ?? b.object.metadata.generateName ?? '')
  );
}

/** Tasks for every object that takes part in a sync, sorted; Skip hooks and non-sync Helm hooks are left out. */
export function planTasks(objects: readonly KubeObject[]): SyncTask[] {
  return objects
    .map((object) => ({ object, hook: hookInfo(object) }))
    .filter(({ hook }) => !hook.skip)
    .map(({ object, hook }) => ({ object, hook, id: resourceKeyString(resourceKey(object)), phase: hook.phase ?? 'Sync', wave: waveOf(object, hook) }))
    .sort(compareTasks);
}

/** Consecutive groups of tasks with the same phase and wave, in plan order. */
export function groupByWave(tasks: readonly SyncTask[]): SyncTask[][] {
  const groups: SyncTask[][] = [];
  for (const task of tasks) {
    const last = groups.at(-1);
    const head = last?.[0];
    if (last !== undefined && head !== undefined && head.phase === task.phase && head.wave === task.wave) last.push(task);
    else groups.push([task]);
  }
  return groups;
}

/** Within a wave, consecutive tasks of the same kind rank, so kinds stay ordered while each group applies in parallel. */
export function groupByKindRank(tasks: readonly SyncTask[]): SyncTask[][] {
  const groups: SyncTask[][] = [];
  for (const task of tasks) {
    const last = groups.at(-1);
    const head = last?.[0];
    if (last !== undefined && head !== undefined && kindRank(head.object.kind) === kindRank(task.object.kind)) last.push(task);
    else groups.push([task]);
  }
  return groups;
}
