/**
 * Syncing a rendered tree. A root is synced like any application; with `cascade`, every child Application it writes
 * is synced right after its wave is applied — recursively — and its status (sync + health) is written to the
 * Application object, so the parent's health gate sees the child's real health before the next wave starts.
 * That is app-level ordering across an app-of-apps, which Argo CD users ask for.
 */
import type { KubeObject } from '../model/resource.js';
import type { RenderedApp, RenderTree } from '../render/types.js';
import { isApplicationObject } from '../render/tree.js';
import type { ChangeSet } from './changeset.js';
import type { SyncRunOptions } from './context.js';
import { syncApplication } from './engine.js';

export interface TreeSyncOptions extends SyncRunOptions {
  /** Sync child Applications too, wave by wave. @default false */
  readonly cascade?: boolean;
  /** Called when an application's sync starts and ends. */
  readonly onAppStart?: (app: RenderedApp) => void;
  readonly onAppDone?: (app: RenderedApp, changeSet: ChangeSet) => void;
}

/** The status Launchpad writes on a synced child Application (the fields Argo CD's UI and health checks read). */
function statusPatch(object: KubeObject, changeSet: ChangeSet): KubeObject {
  const succeeded = changeSet.outcome === 'Succeeded';
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { name: object.metadata.name ?? '', ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }) },
    status: {
      sync: { status: succeeded ? 'Synced' : 'OutOfSync' },
      health: { status: succeeded ? 'Healthy' : 'Degraded', ...(succeeded ? {} : { message: changeSet.message }) },
      operationState: { phase: succeeded ? 'Succeeded' : 'Failed', message: changeSet.message, finishedAt: new Date().toISOString() },
    },
  };
}

export async function syncTree(tree: RenderTree, options: TreeSyncOptions): Promise<ChangeSet[]> {
  const byName = new Map(tree.apps.map((app) => [app.name, app]));
  const results: ChangeSet[] = [];

  const syncOne = async (app: RenderedApp): Promise<ChangeSet> => {
    options.onAppStart?.(app);
    const onWaveApplied = async (objects: readonly KubeObject[]): Promise<void> => {
      const children = objects.filter(isApplicationObject).flatMap((object) => {
        const child = byName.get(object.metadata.name ?? '');
        return child === undefined || child.parent !== app.name ? [] : [{ object, child }];
      });
      await Promise.all(children.map(async ({ object, child }) => {
        const changeSet = await syncOne(child);
        if (options.dryRun !== true) await options.client.apply(statusPatch(object, changeSet), { fieldManager: 'launchpad-status' });
      }));
    };
    const changeSet = await syncApplication(
      { app: app.application, objects: app.resources, renderStatus: app.status, renderMessage: app.message },
      { ...options, ...(options.cascade === true ? { onWaveApplied } : {}) },
    );
    results.push(changeSet);
    options.onAppDone?.(app, changeSet);
    return changeSet;
  };

  for (const root of tree.apps.filter((app) => app.depth === 0)) await syncOne(root);
  return results;
}
