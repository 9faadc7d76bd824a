/**
 * ApplicationSets in the offline preview (`render`, `tree`, `diff --base/--head`): a set found in a root file, or
 * rendered by an application, is expanded into its Applications, which join the tree as the set's children — so a
 * change to a set shows which Applications appear, disappear or change. Clusters come from cluster Secrets in the
 * root files and the objects rendered so far, and from launchpad.yaml's `clusters:` list; git generators read
 * through the same source resolver as the render (substitutions, pinned revisions); pull request and SCM provider
 * generators are skipped and said so. The generated Application objects are not resources of the application that
 * rendered the set: they are dropped from its resources once the tree is built.
 */
import { describeError } from '../errors.js';
import type { Application } from '../model/application.js';
import { loadManifestFile } from '../model/load.js';
import type { KubeObject } from '../model/resource.js';
import type { AppRenderResult } from '../render/app.js';
import type { ApplicationLoader, TreeRenderOptions } from '../render/tree.js';
import { renderTree } from '../render/tree.js';
import type { RenderTree } from '../render/types.js';
import type { ClusterSettings } from '../source/config-parse.js';
import { readTextFile } from '../source/read-text.js';
import type { SourceResolver } from '../source/types.js';
import type { GeneratorContext } from './context.js';
import { generateApplications } from './generate.js';
import { gitTrees } from './git-tree.js';
import { isApplicationSet, readApplicationSet } from './spec.js';

export interface OfflineExpansionOptions {
  readonly resolver: SourceResolver;
  readonly offline: boolean;
  /** launchpad.yaml's `clusters:` (server and name), for the clusters generator. @default none */
  readonly clusters?: readonly ClusterSettings[];
  /** The namespace generated Applications live in when the set names none. @default 'argocd' */
  readonly namespace?: string;
}

const CLUSTER_LABEL = 'argocd.argoproj.io/secret-type';

function isClusterSecret(object: KubeObject): boolean {
  return object.kind === 'Secret' && object.apiVersion === 'v1' && object.metadata.labels?.[CLUSTER_LABEL] === 'cluster';
}

function configuredClusterSecrets(clusters: readonly ClusterSettings[]): KubeObject[] {
  return clusters.flatMap((cluster, index) => (cluster.server === undefined ? [] : [{
    apiVersion: 'v1', kind: 'Secret',
    metadata: { name: `launchpad-yaml-cluster-${index}`, labels: { [CLUSTER_LABEL]: 'cluster' } },
    stringData: { name: cluster.name ?? cluster.server, server: cluster.server },
  }]));
}

interface Expansion {
  readonly applications: KubeObject[];
  readonly warnings: string[];
  readonly errors: string[];
}

/** Expands sets for one tree render; remembers the cluster Secrets it has seen. */
class Expander {
  private readonly secrets: KubeObject[];
  private readonly git: GeneratorContext['git'];
  /** The generated Application objects, to take out of their parent's resources afterwards. */
  readonly generated = new WeakSet<KubeObject>();

  constructor(private readonly options: OfflineExpansionOptions) {
    this.secrets = configuredClusterSecrets(options.clusters ?? []);
    this.git = gitTrees(options.resolver, options.offline);
  }

  see(objects: readonly KubeObject[]): void {
    for (const object of objects) if (isClusterSecret(object)) this.secrets.push(object);
  }

  async expand(sets: readonly KubeObject[]): Promise<Expansion> {
    const out: Expansion = { applications: [], warnings: [], errors: [] };
    const namespace = this.options.namespace ?? 'argocd';
    const context: GeneratorContext = {
      namespace, offline: true,
      clusterSecrets: () => Promise.resolve(this.secrets),
      git: this.git,
      secretValue: (name) => Promise.reject(new Error(`Secret ${name} cannot be read offline`)),
      configMap: () => Promise.resolve(undefined),
      listResources: (apiVersion, resource) => Promise.reject(new Error(`clusterDecisionResource (${resource}.${apiVersion}) needs a cluster; skipped offline`)),
    };
    for (const set of sets) {
      const ref = `ApplicationSet/${set.metadata.namespace ?? namespace}/${set.metadata.name ?? ''}`;
      try {
        const result = await generateApplications(readApplicationSet(set, namespace), context);
        for (const app of result.applications) this.generated.add(app);
        out.applications.push(...result.applications);
        out.warnings.push(...result.skipped.map((reason) => `${ref}: ${reason}`));
      } catch (error) {
        const message = describeError(error);
        out.errors.push(message.startsWith(ref) ? message : `${ref}: ${message}`);
      }
    }
    return out;
  }
}

function loaderWithSets(loader: ApplicationLoader, expander: Expander): ApplicationLoader {
  return {
    fromRendered: (object, renderedBy) => loader.fromRendered(object, renderedBy),
    async loadFile(file) {
      const loaded = await loader.loadFile(file);
      let others: KubeObject[];
      try {
        others = loadManifestFile(await readTextFile(file, 'give the path of the root Application file'), file).otherObjects.map((entry) => entry.object);
      } catch {
        return loaded;
      }
      expander.see(others);
      const sets = others.filter(isApplicationSet);
      if (sets.length === 0) return loaded;
      const expansion = await expander.expand(sets);
      const applications: Application[] = [...loaded.applications];
      const errors = [...loaded.errors, ...expansion.errors];
      for (const object of expansion.applications) {
        const child = loader.fromRendered(object, [`${file} (ApplicationSet)`]);
        if (child.application !== undefined) applications.push(child.application);
        errors.push(...child.errors);
      }
      return { applications, errors, warnings: [...loaded.warnings, ...expansion.warnings] };
    },
  };
}

/** renderTree, with every ApplicationSet in the tree expanded into its Applications. */
export async function renderTreeWithApplicationSets(rootFile: string, options: TreeRenderOptions, expansion: OfflineExpansionOptions): Promise<RenderTree> {
  const expander = new Expander(expansion);
  const renderOne = options.renderApp;
  const renderApp = async (app: Application): Promise<AppRenderResult> => {
    const result = renderOne === undefined ? undefined : await renderOne(app);
    if (result === undefined) throw new Error('renderTreeWithApplicationSets needs renderApp');
    expander.see(result.resources);
    const sets = result.resources.filter(isApplicationSet);
    if (sets.length === 0) return result;
    const expanded = await expander.expand(sets);
    return {
      ...result,
      resources: [...result.resources, ...expanded.applications],
      warnings: [...result.warnings, ...expanded.warnings],
      errors: [...result.errors, ...expanded.errors],
      ...(expanded.errors.length > 0 && result.status === 'ok' ? { status: 'error' as const, message: expanded.errors[0] ?? '' } : {}),
    };
  };
  const tree = await renderTree(rootFile, { ...options, loader: loaderWithSets(options.loader, expander), renderApp });
  return { ...tree, apps: tree.apps.map((app) => (app.resources.some((object) => expander.generated.has(object)) ? { ...app, resources: app.resources.filter((object) => !expander.generated.has(object)) } : app)) };
}
