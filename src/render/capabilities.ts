/**
 * The Kubernetes capabilities helm renders for (`--kube-version`, `--api-versions`): what `.Capabilities.KubeVersion`
 * and `.Capabilities.APIVersions.Has` answer, and what a chart's `kubeVersion:` constraint is checked against. Each
 * field is taken from the first layer that sets it — the Application's helm source, the destination cluster
 * (discovery), launchpad.yaml's `clusters:` — else from the default below, so helm never falls back to the defaults
 * compiled into whichever helm binary happens to run.
 */
import { RenderError } from '../errors.js';
import type { ApplicationDestination } from '../model/application.js';
import type { ClusterSettings } from '../source/config-parse.js';
import { DEFAULT_API_VERSIONS } from './default-api-versions.js';

export interface Capabilities {
  readonly kubeVersion: string;
  readonly apiVersions: readonly string[];
}

/** What one layer knows; a field left out is taken from the next layer. */
export interface CapabilityHints {
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
}

/**
 * The Kubernetes release the pinned helm (v3.20, client-go v0.35) is built for, and the test control plane runs: a
 * recent cluster, so charts that require one (`kubeVersion: ">=1.25.0-0"`) render offline.
 */
export const DEFAULT_KUBE_VERSION = 'v1.35.0';

export const DEFAULT_CAPABILITIES: Capabilities = { kubeVersion: DEFAULT_KUBE_VERSION, apiVersions: DEFAULT_API_VERSIONS };

/** Each field from the first layer that sets it (an empty string or list sets nothing, as in Argo CD), else the default. */
export function layerCapabilities(...layers: readonly (CapabilityHints | undefined)[]): Capabilities {
  const kubeVersion = layers.find((layer) => layer?.kubeVersion !== undefined && layer.kubeVersion !== '')?.kubeVersion;
  const apiVersions = layers.find((layer) => layer?.apiVersions !== undefined && layer.apiVersions.length > 0)?.apiVersions;
  return { kubeVersion: kubeVersion ?? DEFAULT_CAPABILITIES.kubeVersion, apiVersions: apiVersions ?? DEFAULT_CAPABILITIES.apiVersions };
}

const GENERIC_VERSION = /^\s*v?([0-9]+(?:\.[0-9]+)+)/;

/**
 * A Kubernetes version as Argo CD hands it to helm: leading `v` and vendor suffixes dropped (`v1.29.4-gke.1200` →
 * `1.29.4`), at least major.minor. Undefined when the text is not a version.
 */
export function parseKubeVersion(text: string): string | undefined {
  const numbers = GENERIC_VERSION.exec(text)?.[1];
  if (numbers === undefined) return undefined;
  const parts = numbers.split('.');
  if (parts[0] !== '0' && parts[0]?.startsWith('0') === true) return undefined;
  if (parts.some((part) => part.length > 15)) return undefined;
  return parts.map((part) => String(Number(part))).join('.');
}

/** parseKubeVersion, or a RenderError naming where the version came from. */
export function kubeVersionArgument(text: string, where: string): string {
  const parsed = parseKubeVersion(text);
  if (parsed === undefined) {
    throw new RenderError(`could not parse kubernetes version "${text}" (${where})`, { fix: 'write a Kubernetes version such as "1.35" or "v1.35.4"' });
  }
  return parsed;
}

const IN_CLUSTER = { server: 'https://kubernetes.default.svc', name: 'in-cluster' };

/**
 * launchpad.yaml's settings for a destination: the first `clusters:` entry whose server URL or name is the
 * destination's (the in-cluster destination answers to both `https://kubernetes.default.svc` and `in-cluster`).
 */
export function configuredCapabilities(clusters: readonly ClusterSettings[] | undefined, destination: ApplicationDestination): CapabilityHints | undefined {
  const server = destination.server?.replace(/\/+$/, '') || undefined;
  const name = destination.name || undefined;
  const servers = new Set([server, server === IN_CLUSTER.server || name === IN_CLUSTER.name ? IN_CLUSTER.server : undefined].filter((value) => value !== undefined));
  const names = new Set([name, server === IN_CLUSTER.server || name === IN_CLUSTER.name ? IN_CLUSTER.name : undefined].filter((value) => value !== undefined));
  const entry = clusters?.find((candidate) => (candidate.server !== undefined && servers.has(candidate.server)) || (candidate.name !== undefined && names.has(candidate.name)));
  if (entry === undefined) return undefined;
  return {
    ...(entry.kubeVersion === undefined ? {} : { kubeVersion: entry.kubeVersion }),
    ...(entry.apiVersions === undefined ? {} : { apiVersions: entry.apiVersions }),
  };
}
