/**
 * Kyverno's `images` variable: every container image of a Pod or a pod template, by container name, split into
 * registry, path, name, tag and digest with Docker's defaults (`nginx` → docker.io, nginx, tag latest).
 */
import type { KubeObject } from './api.js';
import { isRecord } from './scalars.js';

export interface ImageInfo {
  readonly registry: string;
  readonly path: string;
  readonly name: string;
  readonly tag: string;
  readonly digest: string;
  readonly reference: string;
  readonly referenceWithTag: string;
}

export function parseImage(image: string): ImageInfo {
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  const registry = hasRegistry ? first : 'docker.io';
  const path = hasRegistry ? rest.slice(slash + 1) : rest;
  if (tag === '' && digest === '') tag = 'latest';
  const name = path.slice(path.lastIndexOf('/') + 1);
  const base = `${registry}/${path}`;
  const reference = digest !== '' ? `${base}${tag === '' ? '' : `:${tag}`}@${digest}` : `${base}:${tag}`;
  return { registry, path, name, tag, digest, reference, referenceWithTag: `${base}:${tag}` };
}

function podSpecOf(object: KubeObject): Record<string, unknown> | undefined {
  const spec = isRecord(object.spec) ? object.spec : undefined;
  if (spec === undefined) return undefined;
  if (object.kind === 'Pod') return spec;
  if (object.kind === 'CronJob') {
    const job = isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec) ? spec.jobTemplate.spec : undefined;
    return job !== undefined && isRecord(job.template) && isRecord(job.template.spec) ? job.template.spec : undefined;
  }
  return isRecord(spec.template) && isRecord(spec.template.spec) ? spec.template.spec : undefined;
}

/** `{containers: {name: ImageInfo}, initContainers: …, ephemeralContainers: …}`, or undefined without images. */
export function imagesOf(object: KubeObject | undefined): Record<string, Record<string, ImageInfo>> | undefined {
  if (object === undefined) return undefined;
  const podSpec = podSpecOf(object);
  if (podSpec === undefined) return undefined;
  const result: Record<string, Record<string, ImageInfo>> = {};
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    const list = podSpec[field];
    if (!Array.isArray(list)) continue;
    const images: Record<string, ImageInfo> = {};
    for (const container of list) {
      if (isRecord(container) && typeof container.name === 'string' && typeof container.image === 'string') images[container.name] = parseImage(container.image);
    }
    if (Object.keys(images).length > 0) result[field] = images;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}
