/**
 * Resource tracking as argocd-cm configures it (`application.resourceTrackingMethod`, `application.instanceLabelKey`):
 * `annotation` (the default) — the `argocd.argoproj.io/tracking-id` annotation the render stamps; `label` — only the
 * instance label `<instanceLabelKey>: <app>`; `annotation+label` — both, the annotation deciding ownership and the
 * label informational (truncated to 63 characters). Which application owns a live object is read the same way.
 */
import { ANNOTATION } from '../model/annotations.js';
import type { ArgoCdSettings } from '../model/argocd-cm.js';
import { DEFAULT_INSTANCE_LABEL_KEY } from '../model/argocd-cm.js';
import type { KubeObject } from '../model/resource.js';
import { groupOf } from '../model/resource.js';

export type Tracking = Pick<ArgoCdSettings, 'trackingMethod' | 'instanceLabelKey'>;

export const DEFAULT_TRACKING: Tracking = { trackingMethod: 'annotation', instanceLabelKey: DEFAULT_INSTANCE_LABEL_KEY };

const LABEL_MAX_LENGTH = 63;

/** A label value cut to 63 characters and then to end in an alphanumeric character (Argo CD's truncation). */
export function truncateLabelValue(value: string): string {
  if (value.length <= LABEL_MAX_LENGTH) return value;
  let cut = value.slice(0, LABEL_MAX_LENGTH);
  while (cut.length > 1 && !/[A-Za-z0-9]$/.test(cut)) cut = cut.slice(0, -1);
  return cut;
}

/** A rendered object (annotation stamped) as the tracking method wants it written. */
export function withTracking(object: KubeObject, appName: string, tracking: Tracking): KubeObject {
  if (tracking.trackingMethod === 'annotation') return object;
  const labels = { ...object.metadata.labels, [tracking.instanceLabelKey]: tracking.trackingMethod === 'label' ? appName : truncateLabelValue(appName) };
  if (tracking.trackingMethod === 'annotation+label') return { ...object, metadata: { ...object.metadata, labels } };
  const annotations = Object.fromEntries(Object.entries(object.metadata.annotations ?? {}).filter(([key]) => key !== ANNOTATION.trackingId));
  const rest = Object.fromEntries(Object.entries(object.metadata).filter(([key]) => key !== 'annotations')) as KubeObject['metadata'];
  return { ...object, metadata: { ...rest, labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) } };
}

export function withTrackingAll(objects: readonly KubeObject[], appName: string, tracking: Tracking): KubeObject[] {
  return tracking.trackingMethod === 'annotation' ? [...objects] : objects.map((object) => withTracking(object, appName, tracking));
}

/** The application a tracking annotation names, whatever object it names. */
export function appOfTrackingAnnotation(object: KubeObject | undefined): string | undefined {
  const id = object?.metadata.annotations?.[ANNOTATION.trackingId];
  if (id === undefined) return undefined;
  const colon = id.indexOf(':');
  return colon === -1 ? id : id.slice(0, colon);
}

/**
 * The application tracking this object. With annotations only an id naming this very object counts — controllers
 * copy annotations onto what they create (a Deployment's onto its ReplicaSets), and those copies are not managed.
 */
export function managingAppOf(object: KubeObject, tracking: Tracking = DEFAULT_TRACKING, options: { readonly strict?: boolean } = {}): string | undefined {
  if (tracking.trackingMethod === 'label') {
    const label = object.metadata.labels?.[tracking.instanceLabelKey];
    return label === undefined || label === '' ? undefined : label;
  }
  return options.strict === true ? appOfOwnTrackingId(object) : appOfTrackingAnnotation(object);
}

/** The application a tracking id names when it names this very object. */
function appOfOwnTrackingId(object: KubeObject): string | undefined {
  const id = object.metadata.annotations?.[ANNOTATION.trackingId];
  if (id === undefined) return undefined;
  const match = /^([^:]+):([^/]*)\/([^:]+):([^/]*)\/(.+)$/.exec(id);
  if (match === null) return undefined;
  const [, app, group, kind, namespace = '', name] = match;
  const same = group === groupOf(object.apiVersion) && kind === object.kind && name === object.metadata.name && namespace === (object.metadata.namespace ?? namespace);
  return same ? app : undefined;
}
