/** Small builders for rendered trees and reports, so compare/format tests read as tables. */
import type { Application } from '../../../src/model/application.js';
import type { KubeObject } from '../../../src/model/resource.js';
import type { PreviewReport } from '../../../src/preview/index.js';
import type { RenderedApp, RenderTree } from '../../../src/render/types.js';

export function application(name: string, overrides: { readonly wave?: number; readonly namespace?: string; readonly targetRevision?: string } = {}): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, ...(overrides.wave === undefined ? {} : { annotations: { 'argocd.argoproj.io/sync-wave': String(overrides.wave) } }) },
    spec: {
      project: 'default',
      destination: { server: 'https://kubernetes.default.svc', namespace: overrides.namespace ?? name },
      source: { repoURL: 'https://git.example.com/config', path: `apps/${name}`, targetRevision: overrides.targetRevision ?? 'HEAD' },
    },
  };
}

export interface AppOptions {
  readonly parent?: string;
  readonly status?: RenderedApp['status'];
  readonly message?: string;
  readonly resources?: readonly KubeObject[];
  readonly app?: Application;
  readonly wave?: number;
}

export function rendered(name: string, options: AppOptions = {}): RenderedApp {
  const app = options.app ?? application(name, options.wave === undefined ? {} : { wave: options.wave });
  const status = options.status ?? 'ok';
  const message = options.message ?? '';
  return {
    name, parent: options.parent, depth: options.parent === undefined ? 0 : 1, wave: options.wave ?? 0, project: 'default',
    destination: app.spec.destination, application: app, definedIn: 'root.yaml', sources: [], resources: options.resources ?? [],
    status, message, warnings: [], errors: status === 'error' ? [message] : [], inputs: [], children: [], cached: false,
  };
}

export function tree(apps: readonly RenderedApp[], errors: readonly string[] = []): RenderTree {
  return { rootFile: 'root.yaml', apps, errors, stats: { wallMs: 0, processes: 0, processMs: 0, cacheHits: 0 } };
}

export function configMap(name: string, data: Record<string, string>, namespace = 'shop'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

export function deployment(name: string, image: string, namespace = 'shop'): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace, labels: { app: name } },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } } },
  };
}

export function secret(name: string, data: Record<string, string>, stringData?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'shop' }, type: 'Opaque', data, ...(stringData === undefined ? {} : { stringData }) };
}

export function sealedSecret(name: string, encryptedData: Record<string, string>): KubeObject {
  return { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name, namespace: 'shop' }, spec: { encryptedData, template: { metadata: { name, namespace: 'shop' } } } };
}

export function report(clusters: PreviewReport['clusters']): PreviewReport {
  return {
    repositories: [{ url: 'https://git.example.com/config', path: '/repo', base: { kind: 'commit', revision: 'main', sha: 'a'.repeat(40) }, head: { kind: 'worktree' } }],
    clusters,
    warnings: [],
    stats: { wallMs: 1, processes: { base: 0, head: 0 }, cacheHits: { base: 0, head: 0 }, unaffected: 0 },
  };
}
