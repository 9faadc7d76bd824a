/**
 * A small platform in the seed's shape for impact-analysis tests: three real git repositories (config, charts,
 * values) and a launchpad.yaml mapping their URLs to the folders. Two clusters (dev, prod) share a Kustomize base
 * of Applications; prod patches it. Apps: web and api (one Helm chart from the charts repo, values from the values
 * repo), shop and docs (Kustomize overlays over one shared base), static (a plain directory).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';

export const URLS = {
  config: 'https://git.example.com/platform/config',
  charts: 'https://git.example.com/platform/charts',
  values: 'git@git.example.com:platform/values.git',
} as const;

export interface FixturePlatform {
  readonly dir: string;
  readonly configFile: string;
  readonly config: GitFixture;
  readonly charts: GitFixture;
  readonly values: GitFixture;
  /** Absolute paths of the two root files. */
  readonly roots: readonly string[];
}

function app(name: string, sources: string, options: { readonly wave?: number; readonly namespace?: string } = {}): string {
  const wave = options.wave === undefined ? '' : `  annotations:\n    argocd.argoproj.io/sync-wave: "${options.wave}"\n`;
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\n${wave}spec:\n  project: default\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${options.namespace ?? name}\n${sources}  syncPolicy:\n    automated: {prune: true, selfHeal: true}\n`;
}

function helmApp(name: string): string {
  return app(name, `  sources:\n    - repoURL: ${URLS.charts}\n      targetRevision: HEAD\n      path: app\n      helm:\n        valueFiles:\n          - $values/${name}/values.yaml\n    - repoURL: ${URLS.values}\n      targetRevision: HEAD\n      ref: values\n`);
}

function pathApp(name: string, path: string): string {
  return app(name, `  source:\n    repoURL: ${URLS.config}\n    targetRevision: HEAD\n    path: ${path}\n`);
}

const CHART = {
  'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
  'app/values.yaml': 'image: {repository: nginx, tag: "1.27"}\nreplicas: 1\n',
  'app/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {app: {{ .Release.Name }}}\nspec:\n  replicas: {{ .Values.replicas }}\n  selector: {matchLabels: {app: {{ .Release.Name }}}}\n  template:\n    metadata: {labels: {app: {{ .Release.Name }}}}\n    spec:\n      containers:\n        - name: app\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n',
  'app/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  selector: {app: {{ .Release.Name }}}\n  ports: [{port: 80}]\n',
};

const VALUES = {
  'web/values.yaml': 'image: {tag: "2.0.0"}\nreplicas: 2\n',
  'api/values.yaml': 'image: {tag: "3.1.0"}\n',
  'api/values-prod.yaml': 'replicas: 3\n',
};

function configFiles(rootName: (cluster: string) => string): Record<string, string> {
  return {
    [rootName('dev')]: pathApp('root-dev', 'clusters/dev').replace('namespace: root-dev', 'namespace: argocd'),
    [rootName('prod')]: pathApp('root-prod', 'clusters/prod').replace('namespace: root-prod', 'namespace: argocd'),
    'clusters/base/kustomization.yaml': 'resources: [web.yaml, api.yaml, shop.yaml, docs.yaml, static.yaml]\n',
    'clusters/base/web.yaml': helmApp('web'),
    'clusters/base/api.yaml': helmApp('api'),
    'clusters/base/shop.yaml': pathApp('shop', 'kustomize/shop'),
    'clusters/base/docs.yaml': pathApp('docs', 'kustomize/docs'),
    'clusters/base/static.yaml': pathApp('static', 'static'),
    'clusters/dev/kustomization.yaml': 'resources: [../base]\n',
    'clusters/prod/kustomization.yaml': 'resources: [../base]\npatches:\n  - target: {kind: Application, name: api}\n    patch: |-\n      - op: add\n        path: /spec/sources/0/helm/valueFiles/-\n        value: $values/api/values-prod.yaml\n',
    'kustomize/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'kustomize/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: "nginx:1.27"}]\n',
    'kustomize/shop/kustomization.yaml': 'resources: [../base]\nnamePrefix: shop-\n',
    'kustomize/docs/kustomization.yaml': 'resources: [../base]\nnamePrefix: docs-\n',
    'static/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: static\ndata:\n  motd: hello\n',
  };
}

export interface FixtureOptions {
  /** Root file name per cluster. @default `_app-of-apps-<cluster>.yaml` */
  readonly rootName?: (cluster: string) => string;
}

export async function createFixturePlatform(dir: string, options: FixtureOptions = {}): Promise<FixturePlatform> {
  const rootName = options.rootName ?? ((cluster: string) => `_app-of-apps-${cluster}.yaml`);
  const [config, charts, values] = await Promise.all([
    createGitRepo({ dir: join(dir, 'config'), files: configFiles(rootName) }),
    createGitRepo({ dir: join(dir, 'charts'), files: CHART }),
    createGitRepo({ dir: join(dir, 'values'), files: VALUES }),
  ]);
  const configFile = join(dir, 'launchpad.yaml');
  await writeFile(configFile, `repositories:\n  - url: ${URLS.config}\n    path: config\n  - url: ${URLS.charts}\n    path: charts\n  - url: ${URLS.values}\n    path: values\n`);
  return { dir, configFile, config, charts, values, roots: [join(config.dir, rootName('dev')), join(config.dir, rootName('prod'))] };
}

/** Moves the tag `base` to HEAD in every repository: the next diff compares base..HEAD. */
export async function markBase(platform: FixturePlatform): Promise<void> {
  for (const repo of [platform.config, platform.charts, platform.values]) await repo.git('tag', '-f', 'base');
}

export { app, helmApp, pathApp };
