/** Shared test pieces: a generator context over in-memory Secrets and a real git repository, and template modes. */
import { createSourceResolver } from '../../../src/source/index.js';
import type { GeneratorContext } from '../../../src/appset/context.js';
import { gitTrees } from '../../../src/appset/git-tree.js';
import { GoTemplateCache } from '../../../src/appset/go-template.js';
import type { TemplateMode } from '../../../src/appset/render.js';
import type { KubeObject } from '../../../src/model/resource.js';

export const FAST: TemplateMode = { goTemplate: false, missingKey: 'default', go: new GoTemplateCache('test') };
export const GO: TemplateMode = { goTemplate: true, missingKey: 'default', go: new GoTemplateCache('test') };

const b64 = (text: string): string => Buffer.from(text).toString('base64');

export function clusterSecret(name: string, server: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Secret',
    metadata: { name: `cluster-${name}`, namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster', ...labels }, annotations },
    data: { name: b64(name), server: b64(server), config: b64('{"bearerToken":"s3cr3t"}') },
  };
}

export interface ContextOptions {
  readonly secrets?: readonly KubeObject[];
  readonly cacheDir?: string;
  readonly tokens?: Readonly<Record<string, string>>;
  readonly configMaps?: Readonly<Record<string, Record<string, string>>>;
  readonly resources?: readonly KubeObject[];
  readonly offline?: boolean;
}

export function testContext(options: ContextOptions = {}): GeneratorContext {
  const resolver = createSourceResolver(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir });
  return {
    namespace: 'argocd',
    offline: options.offline === true,
    clusterSecrets: () => Promise.resolve(options.secrets ?? []),
    git: gitTrees(resolver, false),
    secretValue: (name, key) => {
      const value = options.tokens?.[`${name}/${key}`];
      return value === undefined ? Promise.reject(new Error(`Secret argocd/${name} has no key "${key}"`)) : Promise.resolve(value);
    },
    configMap: (name) => Promise.resolve(options.configMaps?.[name]),
    listResources: () => Promise.resolve(options.resources ?? []),
  };
}
