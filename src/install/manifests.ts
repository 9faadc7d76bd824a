/**
 * The objects that install a Launchpad controller in a cluster, in apply order: Namespace, the Application and
 * AppProject CRDs (and Bitnami's SealedSecret CRD, for the unsealer, applied only where none is installed), ServiceAccount and RBAC, Deployment, Service, and the `default` AppProject. The output depends only
 * on the options (and this package's version, through the default image): same options, same objects, same key order.
 */
import { readFileSync } from 'node:fs';
import { LaunchpadError } from '../errors.js';
import type { KubeObject } from '../model/resource.js';
import { deployment, service } from './controller.js';
import { crdManifests } from './crds.js';
import { sealedSecretCrd } from '../sealed/controller/crd.js';
import { applicationSetCrd } from '../appset/crd.js';
import { CREATE_ONLY, DEFAULT_IMAGE_REPOSITORY, DEFAULT_NAMESPACE, PART_OF } from './names.js';
import { rbacManifests } from './rbac.js';

export interface InstallOptions {
  /**
   * Namespace of the controller, its namespaced RBAC and the `default` AppProject; the controller watches the
   * Applications in it. Argo CD's namespace, so Applications written for Argo CD work unchanged.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /** The controller's container image. @default `ghcr.io/launchpad-gitops/launchpad:<this package's version>` */
  readonly image?: string;
  /** Controller replicas; with 2 or more, one leader (a Lease) syncs and the others stand by. @default 1 */
  readonly replicas?: number;
  /**
   * Bind the built-in `cluster-admin` ClusterRole instead of Launchpad's own (cluster-wide read and write, but no
   * `escalate`/`bind`/`impersonate`). Needed only when Applications deploy RBAC granting rights the controller lacks.
   * @default false
   */
  readonly clusterAdmin?: boolean;
  /** Include the Application and AppProject CRDs; leave them out where Argo CD's CRDs are installed. @default true */
  readonly includeCRDs?: boolean;
}

/** The options with their defaults applied and checked. */
export interface ResolvedInstallOptions {
  readonly namespace: string;
  readonly image: string;
  readonly replicas: number;
  readonly clusterAdmin: boolean;
  readonly includeCRDs: boolean;
}

/** This package's version, from package.json next to dist/ (the module runs from dist/src/install/). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string' || pkg.version === '') throw new LaunchpadError('package.json has no version', { fix: 'reinstall Launchpad' });
  return pkg.version;
}

export function defaultImage(): string {
  return `${DEFAULT_IMAGE_REPOSITORY}:${packageVersion()}`;
}

// A namespace name is an RFC 1123 label.
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function checkNamespace(namespace: string): string {
  if (!NAMESPACE_NAME.test(namespace)) {
    throw new LaunchpadError(`namespace ${JSON.stringify(namespace)} is not a valid namespace name`, {
      fix: 'use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    });
  }
  return namespace;
}

function checkImage(image: string): string {
  if (image === '' || /\s/.test(image)) throw new LaunchpadError(`image ${JSON.stringify(image)} is not an image reference`, { fix: 'give a reference such as ghcr.io/org/launchpad:1.2.3' });
  return image;
}

function checkReplicas(replicas: number): number {
  if (!Number.isSafeInteger(replicas) || replicas < 1) {
    throw new LaunchpadError(`replicas ${String(replicas)} is not a whole number of at least 1`, { fix: 'use 1, or 2 for a standby controller (leader election)' });
  }
  return replicas;
}

export function resolveInstallOptions(options: InstallOptions = {}): ResolvedInstallOptions {
  return {
    namespace: checkNamespace(options.namespace ?? DEFAULT_NAMESPACE),
    image: checkImage(options.image ?? defaultImage()),
    replicas: checkReplicas(options.replicas ?? 1),
    clusterAdmin: options.clusterAdmin ?? false,
    includeCRDs: options.includeCRDs ?? true,
  };
}

function namespaceObject(namespace: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: PART_OF } };
}

/** Marks an object `applyInstall` creates only where it is missing (see CREATE_ONLY). */
function createOnly(object: KubeObject): KubeObject {
  return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, ...CREATE_ONLY } } };
}

/**
 * The project every Application names unless it says otherwise; as open as Argo CD's own `default` project. Applying
 * it must never loosen a project an operator restricted: `applyInstall` creates it only when it is missing.
 */
export function defaultAppProject(namespace: string): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'default', namespace, labels: PART_OF, annotations: CREATE_ONLY },
    spec: {
      sourceRepos: ['*'],
      destinations: [{ server: '*', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  };
}

/** The objects that install Launchpad, in the order they must be applied. Throws LaunchpadError on bad options. */
export function installManifests(options: InstallOptions = {}): KubeObject[] {
  const resolved = resolveInstallOptions(options);
  const { namespace } = resolved;
  return [
    namespaceObject(namespace),
    ...(resolved.includeCRDs ? [...crdManifests(), applicationSetCrd(), createOnly(sealedSecretCrd(PART_OF))] : []),
    ...rbacManifests(namespace, resolved.clusterAdmin),
    deployment(resolved),
    service(namespace),
    defaultAppProject(namespace),
  ];
}
