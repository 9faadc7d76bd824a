/**
 * Desired manifests and diffs for the API: the Application rendered with the same renderer and on-disk render cache
 * as the controller (same cache folder: a render the controller just made is a cache hit), then compared with the
 * live cluster by the same server-side dry-run diff as `launchpad diff --live`. Done only when asked, per
 * application; every object and diff leaves here with Secret values already hidden.
 */
import { ControllerMetrics } from '../controller/metrics.js';
import { Renderer } from '../controller/renderer.js';
import { redactForDisplay } from '../diff/secrets.js';
import { assessHealth } from '../health/index.js';
import type { KubeClient } from '../kube/types.js';
import type { Application } from '../model/application.js';
import { describeAs } from '../model/describe.js';
import { normalizeApplication } from '../model/normalize.js';
import type { KubeObject } from '../model/resource.js';
import { formatResourceKey } from '../model/resource.js';
import { validateApplication } from '../model/validate-application.js';
import { isPlainObject } from '../model/values.js';
import type { RenderedApp } from '../render/types.js';
import { readArgoCdSettings } from '../settings/load.js';
import type { LaunchpadConfig } from '../source/config.js';
import { CredentialStore } from '../source/credentials.js';
import { compareLive } from '../sync/live-state.js';
import { ApiError } from './errors.js';

export interface DesiredOptions {
  readonly config?: LaunchpadConfig;
  readonly cacheDir?: string;
  readonly offline?: boolean;
  readonly repositorySecrets: () => readonly KubeObject[];
}

export interface ResourceDiffView {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** in-sync, out-of-sync, missing (to create), extraneous (to prune), or error (could not be compared). */
  readonly status: string;
  /** Unified diff, Secret values shown as <hidden>. */
  readonly diff: string;
  readonly error?: string;
}

function applicationOf(object: KubeObject): Application {
  const result = validateApplication(object, describeAs(`Application ${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`));
  if (!result.ok) throw new ApiError(422, `Application ${object.metadata.name ?? ''} is not valid: ${result.errors.map((error) => error.message).join('; ')}`, 'fix the Application spec');
  const normalized = normalizeApplication(result.value) as Application;
  const written = isPlainObject(object.spec) && Array.isArray(object.spec.sources);
  if (written) return normalized;
  const { sources, ...spec } = normalized.spec;
  return { ...normalized, spec: { ...spec, ...(sources?.[0] === undefined ? {} : { source: sources[0] }) } };
}

export class DesiredState {
  private readonly renderer: Renderer;

  constructor(options: DesiredOptions) {
    this.renderer = new Renderer({
      // Its own registry: the API's renders are not the controller's reconcile metrics.
      metrics: new ControllerMetrics(),
      credentials: () => new CredentialStore(options.repositorySecrets()),
      ...(options.config === undefined ? {} : { config: options.config }),
      ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
      ...(options.offline === undefined ? {} : { offline: options.offline }),
    });
  }

  /** The rendered objects (Secret values hidden); an ApiError when the render fails. */
  async manifests(object: KubeObject): Promise<KubeObject[]> {
    return (await this.rendered(object)).resources.map(redactForDisplay);
  }

  /** Per resource: how the live object differs from what a sync would make of it. */
  async diff(object: KubeObject, client: KubeClient, settingsClient: KubeClient, namespace: string): Promise<ResourceDiffView[]> {
    const rendered = await this.rendered(object);
    const settings = (await readArgoCdSettings(settingsClient, namespace)).settings;
    const state = await compareLive(rendered, { client, assessHealth, settings });
    const views: ResourceDiffView[] = state.resources.map((resource) => ({
      group: resource.key.group, kind: resource.key.kind, namespace: resource.key.namespace, name: resource.key.name,
      status: resource.error !== undefined ? 'error' : resource.diff?.status ?? 'unknown', diff: resource.diff?.diff ?? '',
      ...(resource.error === undefined ? {} : { error: `${formatResourceKey(resource.key)}: ${resource.error}` }),
    }));
    for (const extraneous of state.extraneous) {
      views.push({ group: extraneous.key.group, kind: extraneous.key.kind, namespace: extraneous.key.namespace, name: extraneous.key.name, status: 'extraneous', diff: extraneous.diff });
    }
    return views;
  }

  private async rendered(object: KubeObject): Promise<RenderedApp> {
    const app = applicationOf(object);
    const result = await this.renderer.render(app, { hard: false });
    if (result.status !== 'ok') throw new ApiError(422, `application ${app.metadata.name} could not be rendered: ${result.message}`, 'see the application\'s conditions; fix its sources, then refresh');
    return {
      name: app.metadata.name, parent: undefined, depth: 0, wave: 0, project: app.spec.project, destination: app.spec.destination, application: app,
      definedIn: 'the cluster', sources: result.sources, resources: result.resources, status: result.status, message: result.message,
      warnings: result.warnings, errors: result.errors, inputs: result.inputs, children: [], cached: result.cached === true,
    };
  }
}
