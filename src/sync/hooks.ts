/**
 * Which objects are hooks, in which phase they run, and when they are deleted — Argo CD's annotations, plus Helm's
 * hook annotations mapped the way Argo CD maps them (pre-install/pre-upgrade → PreSync, post-install/post-upgrade →
 * PostSync, hook-weight → wave; test and delete/rollback hooks are not part of a sync and are skipped).
 */
import { ANNOTATION } from '../model/annotations.js';
import type { KubeObject } from '../model/resource.js';

export type SyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
export type HookDeletePolicy = 'HookSucceeded' | 'HookFailed' | 'BeforeHookCreation';

export interface HookInfo {
  /** undefined for a normal resource (it is applied in the Sync phase). */
  readonly phase: SyncPhase | undefined;
  /** A hook of a kind that is never run by a sync (Skip, Helm test/delete/rollback hooks). */
  readonly skip: boolean;
  readonly deletePolicies: readonly HookDeletePolicy[];
}

const PHASES: readonly SyncPhase[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];

const HELM_PHASE: Readonly<Record<string, SyncPhase>> = {
  'crd-install': 'PreSync',
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};

const DELETE_POLICY: Readonly<Record<string, HookDeletePolicy>> = {
  HookSucceeded: 'HookSucceeded',
  HookFailed: 'HookFailed',
  BeforeHookCreation: 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
  'before-hook-creation': 'BeforeHookCreation',
};

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '');
}

function deletePolicies(annotations: Readonly<Record<string, string>>): HookDeletePolicy[] {
  const raw = [...list(annotations[ANNOTATION.hookDeletePolicy]), ...list(annotations[ANNOTATION.helmHookDeletePolicy])];
  const policies = [...new Set(raw.map((name) => DELETE_POLICY[name]).filter((policy): policy is HookDeletePolicy => policy !== undefined))];
  // Argo CD's default for hooks without a policy.
  return policies.length === 0 ? ['BeforeHookCreation'] : policies;
}

export function hookInfo(object: KubeObject): HookInfo {
  const annotations = object.metadata.annotations ?? {};
  const argo = list(annotations[ANNOTATION.hook]);
  if (argo.length > 0) {
    if (argo.includes('Skip')) return { phase: undefined, skip: true, deletePolicies: [] };
    const phase = PHASES.find((candidate) => argo.includes(candidate));
    return { phase: phase ?? 'Sync', skip: phase === undefined, deletePolicies: deletePolicies(annotations) };
  }
  const helm = list(annotations[ANNOTATION.helmHook]);
  if (helm.length > 0) {
    const phase = helm.map((name) => HELM_PHASE[name]).find((candidate) => candidate !== undefined);
    return { phase: phase ?? 'Sync', skip: phase === undefined, deletePolicies: deletePolicies(annotations) };
  }
  return { phase: undefined, skip: false, deletePolicies: [] };
}
