/** Set-up shared by the sync engine's tests: a real tier-2 control plane, the real client, small object builders. */
import type { Application, SyncPolicy } from '../../../src/model/application.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { resourceKey, trackingId } from '../../../src/model/resource.js';
import { assessHealth } from '../../../src/health/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { ChangeSet } from '../../../src/sync/changeset.js';
import type { SyncRunOptions } from '../../../src/sync/context.js';
import { syncApplication } from '../../../src/sync/engine.js';

export function app(name: string, namespace: string, syncPolicy: SyncPolicy = {}): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace }, source: { repoURL: 'https://example.invalid/repo', path: '.' }, syncPolicy },
  };
}

/** Stamps the tracking annotation the renderer would add. */
export function tracked(appName: string, object: KubeObject): KubeObject {
  const key = resourceKey(object);
  return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, 'argocd.argoproj.io/tracking-id': trackingId(appName, key) } } };
}

export function configMap(name: string, namespace: string, annotations: Record<string, string> = {}, data: Record<string, string> = { key: 'value' }): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, annotations }, data };
}

export function deployment(name: string, namespace: string, options: { replicas?: number; annotations?: Record<string, string>; nodeSelector?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, annotations: options.annotations ?? {} },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1.0' }], ...(options.nodeSelector === undefined ? {} : { nodeSelector: options.nodeSelector }) },
      },
    },
  };
}

export function job(name: string, namespace: string, annotations: Record<string, string>, options: { neverScheduled?: boolean } = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace, annotations },
    spec: {
      backoffLimit: 0,
      ...(options.neverScheduled === true ? { activeDeadlineSeconds: 2 } : {}),
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'hook', image: 'registry.invalid/hook:1.0' }],
          ...(options.neverScheduled === true ? { nodeSelector: { 'launchpad.test/no-such-node': 'true' } } : {}),
        },
      },
    },
  };
}

export async function runSync(client: KubeClient, application: Application, objects: readonly KubeObject[], options: Partial<SyncRunOptions> = {}): Promise<ChangeSet & { readonly messages: string[] }> {
  const messages: string[] = [];
  const changeSet = await syncApplication(
    { app: application, objects: objects.map((object) => tracked(application.metadata.name, object)), renderStatus: 'ok', renderMessage: '' },
    { client, assessHealth, pollMs: 200, timeoutMs: 60_000, onMessage: (message) => messages.push(message), ...options },
  );
  return { ...changeSet, messages };
}

export function actions(changeSet: ChangeSet): string[] {
  return changeSet.entries.map((entry) => `${entry.key.kind}/${entry.key.name} ${entry.action}`);
}
