/**
 * Generates a synthetic platform for benchmarks: one git repository with a root Application whose directory holds N
 * child Applications — a mix of Helm (one shared chart, a values file per app), Kustomize (an overlay per app over a
 * shared base) and plain directories — the shapes the seed platform uses.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitRepo } from '../src/testing/git-fixtures.js';
import type { GitFixture } from '../src/testing/git-fixtures.js';

export interface SyntheticPlatform {
  readonly repo: GitFixture;
  readonly rootFile: string;
  readonly apps: number;
  /** Deletes the platform's folder. */
  remove(): Promise<void>;
}

const CHART = {
  'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
  'charts/app/values.yaml': 'image: {repository: nginx, tag: "1.27"}\nreplicas: 1\nport: 8080\n',
  'charts/app/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {app: {{ .Release.Name }}}\nspec:\n  replicas: {{ .Values.replicas }}\n  selector: {matchLabels: {app: {{ .Release.Name }}}}\n  template:\n    metadata: {labels: {app: {{ .Release.Name }}}}\n    spec:\n      containers:\n        - name: app\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n          ports: [{containerPort: {{ .Values.port }}}]\n',
  'charts/app/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  selector: {app: {{ .Release.Name }}}\n  ports: [{port: 80, targetPort: {{ .Values.port }}}]\n',
  'charts/app/templates/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  LOG_LEVEL: info\n',
};

const BASE = {
  'kustomize/base/kustomization.yaml': 'resources: [deployment.yaml, service.yaml]\n',
  'kustomize/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: "nginx:1.27"}]\n',
  'kustomize/base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
};

function application(name: string, repoURL: string, source: string): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${name}\n  source:\n    repoURL: ${repoURL}\n    targetRevision: HEAD\n${source}`;
}

export async function createSyntheticPlatform(apps: number): Promise<SyntheticPlatform> {
  const dir = await mkdtemp(join(tmpdir(), `launchpad-bench-${apps}-`));
  const repo = await createGitRepo({ dir: join(dir, 'repo'), files: { ...CHART, ...BASE } });
  const files: Record<string, string> = {};
  for (let index = 0; index < apps; index += 1) {
    const name = `app-${String(index).padStart(4, '0')}`;
    const kind = index % 10 < 4 ? 'helm' : index % 10 < 7 ? 'kustomize' : 'directory';
    if (kind === 'helm') {
      files[`values/${name}.yaml`] = `replicas: ${1 + (index % 3)}\nimage:\n  tag: "1.${index % 30}"\n`;
      files[`apps/${name}.yaml`] = application(name, repo.url, `    path: charts/app\n    helm:\n      valueFiles: [/values/${name}.yaml]\n`);
    } else if (kind === 'kustomize') {
      files[`kustomize/overlays/${name}/kustomization.yaml`] = `resources: [../../base]\nnamePrefix: ${name}-\nimages: [{name: nginx, newTag: "1.${index % 30}"}]\n`;
      files[`apps/${name}.yaml`] = application(name, repo.url, `    path: kustomize/overlays/${name}\n`);
    } else {
      files[`manifests/${name}/configmap.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  index: "${index}"\n`;
      files[`apps/${name}.yaml`] = application(name, repo.url, `    path: manifests/${name}\n`);
    }
  }
  files['root.yaml'] = application('root', repo.url, '    path: apps\n').replace('namespace: root', 'namespace: argocd');
  await repo.commit(files, `${apps} applications`);
  return { repo, rootFile: join(repo.dir, 'root.yaml'), apps, remove: () => rm(dir, { recursive: true, force: true }) };
}
