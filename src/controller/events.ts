/**
 * Kubernetes Events on Applications (`kubectl describe application` shows them): operation started, completed,
 * failed. Best effort — an event that cannot be written is logged, never an error of the reconcile.
 */
import { describeError } from '../errors.js';
import type { KubeObject } from '../model/resource.js';
import type { KubeClient } from '../kube/types.js';

export const EVENT_SOURCE = 'launchpad-controller';

export function eventFor(app: KubeObject, reason: string, message: string, type: 'Normal' | 'Warning'): KubeObject {
  const now = new Date().toISOString();
  const namespace = app.metadata.namespace ?? 'default';
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { generateName: `${app.metadata.name ?? 'application'}.`, namespace },
    involvedObject: {
      apiVersion: app.apiVersion, kind: app.kind, name: app.metadata.name, namespace,
      ...(app.metadata.uid === undefined ? {} : { uid: app.metadata.uid }),
      ...(app.metadata.resourceVersion === undefined ? {} : { resourceVersion: app.metadata.resourceVersion }),
    },
    reason,
    // The API server refuses messages over 1 KiB.
    message: message.length > 1000 ? `${message.slice(0, 999)}…` : message,
    type,
    source: { component: EVENT_SOURCE },
    reportingComponent: EVENT_SOURCE,
    reportingInstance: process.env.POD_NAME ?? 'local',
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  };
}

export function recordEvent(client: KubeClient, event: KubeObject, onError: (message: string) => void): void {
  void client.create(event).catch((error: unknown) => {
    onError(`could not record event ${String(event.reason)}: ${describeError(error)}`);
  });
}
