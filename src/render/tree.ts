/**
 * App-of-apps: rendering a root Application yields child Application objects; each is validated and rendered in turn,
 * in parallel up to the core count. The result is one tree per root file with every application, in a stable
 * depth-first order. Cycles (a → b → a) are errors naming the cycle; an application that manages its own
 * Application object (a self-managed root) is normal and not rendered twice.
 */
import { availableParallelism } from 'node:os';
import type { Application } from '../model/application.js';
import { syncWaveOf } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import { formatResourceKey, groupOf, resourceKey, resourceKeyString } from '../model/resource.js';
import type { AppRenderOptions, AppRenderResult } from './app.js';
import { renderApplication } from './app.js';
import { createLimiter } from './limit.js';
import type { RenderedApp, RenderTree } from './types.js';

/** Turns files and rendered objects into validated Applications (implemented over the model package). */
export interface ApplicationLoader {
  loadFile(file: string): Promise<{ readonly applications: readonly Application[]; readonly errors: readonly string[]; readonly warnings: readonly string[] }>;
  /** `renderedBy` is the chain of applications that produced the object, root first. */
  fromRendered(object: KubeObject, renderedBy: readonly string[]): { readonly application?: Application; readonly errors: readonly string[]; readonly warnings: readonly string[] };
}

export interface TreeRenderOptions extends AppRenderOptions {
  readonly loader: ApplicationLoader;
  /** @default 10 */
  readonly maxDepth?: number;
  /** @default os.availableParallelism() */
  readonly concurrency?: number;
  /** Called as each application finishes (progress display). */
  readonly onAppRendered?: (app: RenderedApp) => void;
  /** Replaces renderApplication, e.g. to serve from a cache. */
  readonly renderApp?: (app: Application) => Promise<AppRenderResult>;
}

interface Node {
  readonly app: Application;
  readonly parent: string | undefined;
  readonly ancestors: readonly string[];
  readonly definedIn: string;
  readonly extraErrors: string[];
  readonly extraWarnings: string[];
  /** Set when the Application failed validation: the first error; the node is reported, never rendered. */
  readonly invalid?: string;
}

/** Stands in for a rendered Application that failed validation, so the tree can still show it by name. */
function placeholderApplication(object: KubeObject): Application {
  const annotations = object.metadata.annotations;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: object.metadata.name ?? '', ...(annotations === undefined ? {} : { annotations }) },
    spec: { project: 'default', destination: {} },
  };
}

export function isApplicationObject(object: KubeObject): boolean {
  return object.kind === 'Application' && groupOf(object.apiVersion) === 'argoproj.io';
}

function byWaveThenName(a: Application, b: Application): number {
  const wave = syncWaveOf(a.metadata.annotations) - syncWaveOf(b.metadata.annotations);
  return wave !== 0 ? wave : a.metadata.name.localeCompare(b.metadata.name);
}

function errorApp(node: Node, depth: number, message: string): RenderedApp {
  return {
    name: node.app.metadata.name, parent: node.parent, depth, wave: syncWaveOf(node.app.metadata.annotations),
    project: node.app.spec.project, destination: node.app.spec.destination, application: node.app, definedIn: node.definedIn,
    sources: [], resources: [], status: 'error', message, warnings: node.extraWarnings, errors: [message, ...node.extraErrors],
    inputs: [], children: [], cached: false,
  };
}

/** Adds "also produced by" errors to every application that renders a resource another one renders too. */
function markSharedResources(apps: RenderedApp[]): RenderedApp[] {
  const owners = new Map<string, string[]>();
  for (const app of apps) {
    for (const object of app.resources) {
      const id = resourceKeyString(resourceKey(object));
      owners.set(id, [...(owners.get(id) ?? []), app.name]);
    }
  }
  return apps.map((app) => {
    const conflicts = app.resources.flatMap((object) => {
      const others = (owners.get(resourceKeyString(resourceKey(object))) ?? []).filter((name) => name !== app.name);
      return others.length === 0 ? [] : [`${formatResourceKey(resourceKey(object))} is also produced by application ${others.map((o) => `"${o}"`).join(', ')} — a resource can have only one owning application`];
    });
    if (conflicts.length === 0) return app;
    return { ...app, status: 'error', message: app.message === '' ? (conflicts[0] ?? '') : app.message, errors: [...app.errors, ...conflicts] };
  });
}

interface Adopted {
  readonly nodes: Node[];
  readonly errors: string[];
  readonly warnings: string[];
}

/**
 * Decides what happens to each Application object an app rendered: a new child to render, a failed child to show
 * by name, the app's own object (self-managed: fine), a cycle or a second definition (errors on the parent).
 */
function adoptChildren(objects: readonly KubeObject[], node: Node, context: { readonly loader: ApplicationLoader; readonly claimedBy: Map<string, string> }): Adopted {
  const name = node.app.metadata.name;
  const ancestors = [...node.ancestors, name];
  const adopted: Adopted = { nodes: [], errors: [], warnings: [] };
  for (const object of objects) {
    const childName = object.metadata.name ?? '';
    const child = context.loader.fromRendered(object, ancestors);
    if (childName === name) {
      adopted.warnings.push('manages its own Application object (self-managed); not rendered again');
      continue;
    }
    const cycleAt = node.ancestors.indexOf(childName);
    if (cycleAt !== -1) {
      adopted.errors.push(`app-of-apps cycle: ${[...node.ancestors.slice(cycleAt), name, childName].join(' → ')} — an application must not (indirectly) produce one of its ancestors`);
      continue;
    }
    const owner = context.claimedBy.get(childName);
    if (owner !== undefined || childName === '') {
      adopted.errors.push(childName === '' ? child.errors.join('; ') : `Application "${childName}" is also produced by "${owner ?? ''}" — each child application must be defined once`);
      continue;
    }
    context.claimedBy.set(childName, name);
    const base = { parent: name, ancestors, definedIn: `rendered by ${name}`, extraWarnings: [...child.warnings] };
    if (child.application === undefined) {
      // Shown as its own failed entry, so the parent stays clean and the user sees which child is wrong.
      const [first = 'invalid Application', ...rest] = child.errors;
      adopted.nodes.push({ ...base, app: placeholderApplication(object), extraErrors: rest, invalid: first });
    } else {
      adopted.nodes.push({ ...base, app: child.application, extraErrors: [...child.errors] });
    }
  }
  return adopted;
}

export async function renderTree(rootFile: string, options: TreeRenderOptions): Promise<RenderTree> {
  const started = performance.now();
  const limit = createLimiter(options.concurrency ?? availableParallelism());
  const maxDepth = options.maxDepth ?? 10;
  const renderApp = options.renderApp ?? ((app: Application) => renderApplication(app, options));
  const loaded = await options.loader.loadFile(rootFile);
  const rendered = new Map<string, RenderedApp>();
  const claimedBy = new Map<string, string>();
  const stats = { processes: 0, processMs: 0, cacheHits: 0 };

  const visit = async (node: Node, depth: number): Promise<void> => {
    const name = node.app.metadata.name;
    const result = await limit(() => renderApp(node.app));
    stats.processes += result.processes;
    stats.processMs += result.processMs;
    if (result.cached === true) stats.cacheHits += 1;
    const adopted = adoptChildren(result.resources.filter(isApplicationObject), node, { loader: options.loader, claimedBy });
    const childNodes = adopted.nodes;
    const warnings = [...node.extraWarnings, ...result.warnings, ...adopted.warnings];
    const errors = [...result.errors, ...node.extraErrors, ...adopted.errors];
    childNodes.sort((a, b) => byWaveThenName(a.app, b.app));
    const status = errors.length > 0 && result.status === 'ok' ? 'error' : result.status;
    const app: RenderedApp = {
      name, parent: node.parent, depth, wave: syncWaveOf(node.app.metadata.annotations), project: node.app.spec.project,
      destination: node.app.spec.destination, application: node.app, definedIn: node.definedIn, sources: result.sources,
      resources: result.resources, status, message: result.message !== '' ? result.message : (errors[0] ?? ''), warnings, errors,
      inputs: result.inputs, children: childNodes.map((child) => child.app.metadata.name), cached: result.cached === true,
    };
    rendered.set(name, app);
    options.onAppRendered?.(app);
    await Promise.all(childNodes.map((child) => {
      if (child.invalid !== undefined) {
        rendered.set(child.app.metadata.name, errorApp(child, depth + 1, child.invalid));
        return Promise.resolve();
      }
      if (depth + 1 > maxDepth) {
        const tooDeep = errorApp(child, depth + 1, `app-of-apps nesting deeper than ${maxDepth} levels (${[...child.ancestors, child.app.metadata.name].join(' → ')})`);
        rendered.set(child.app.metadata.name, tooDeep);
        return Promise.resolve();
      }
      return visit(child, depth + 1);
    }));
  };

  const roots = [...loaded.applications].sort(byWaveThenName);
  for (const root of roots) claimedBy.set(root.metadata.name, rootFile);
  await Promise.all(roots.map((app) => visit({ app, parent: undefined, ancestors: [], definedIn: rootFile, extraErrors: [], extraWarnings: [...loaded.warnings] }, 0)));

  const ordered: RenderedApp[] = [];
  const walk = (name: string): void => {
    const app = rendered.get(name);
    if (app === undefined) return;
    ordered.push(app);
    for (const child of app.children) walk(child);
  };
  for (const root of roots) walk(root.metadata.name);
  return {
    rootFile,
    apps: markSharedResources(ordered),
    errors: [...loaded.errors, ...(loaded.applications.length === 0 && loaded.errors.length === 0 ? [`${rootFile}: holds no argoproj.io/v1alpha1 Application — give the root Application file`] : [])],
    stats: { wallMs: performance.now() - started, ...stats },
  };
}
