/** Shared set-up for renderer tests: real git repositories, the real source resolver, Applications as objects. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Application, ApplicationSource } from '../../../src/model/application.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { createSourceResolver } from '../../../src/source/index.js';
import type { SourceResolver } from '../../../src/source/types.js';

export interface Sandbox {
  readonly cacheDir: string;
  readonly resolver: SourceResolver;
  cleanup(): Promise<void>;
}

export async function createSandbox(): Promise<Sandbox> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-render-cache-'));
  return {
    cacheDir,
    resolver: createSourceResolver({ cacheDir, offline: false }),
    cleanup: () => rm(cacheDir, { recursive: true, force: true }),
  };
}

export function application(name: string, sources: ApplicationSource[], namespace = 'shop', annotations: Record<string, string> = {}): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd', annotations },
    spec: {
      project: 'default',
      ...(sources.length === 1 ? { source: sources[0] } : { sources }),
      destination: { server: 'https://kubernetes.default.svc', namespace },
    },
  } as Application;
}

export function find(objects: readonly KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (found === undefined) throw new Error(`${kind}/${name} not rendered; got ${objects.map((o) => `${o.kind}/${o.metadata.name ?? ''}`).join(', ')}`);
  return found;
}

/** A small Helm chart whose ConfigMap shows where each value came from. */
export const CHART_FILES = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/values.yaml': 'image:\n  tag: chart-default\nreplicas: 1\ncolor: chart\nsize: chart\nshape: chart\nlabel: chart\n',
  'charts/web/templates/configmap.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: {{ .Release.Name }}-values',
    '  namespace: {{ .Release.Namespace }}',
    'data:',
    '  tag: {{ .Values.image.tag | quote }}',
    '  color: {{ .Values.color | quote }}',
    '  size: {{ .Values.size | quote }}',
    '  shape: {{ .Values.shape | quote }}',
    '  label: {{ .Values.label | quote }}',
    '',
  ].join('\n'),
  'charts/web/templates/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ .Release.Name }}',
    'spec:',
    '  replicas: {{ .Values.replicas }}',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: "nginx:{{ .Values.image.tag }}"',
    '',
  ].join('\n'),
};
