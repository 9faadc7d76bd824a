/** Names and labels shared by every object `launchpad install` produces. */

/** The ServiceAccount, Role, bindings, Deployment and Service of the controller share this name. */
export const CONTROLLER_NAME = 'launchpad-controller';

/** The namespace Argo CD uses, so that Applications written for Argo CD work where they are. */
export const DEFAULT_NAMESPACE = 'argocd';

export const DEFAULT_IMAGE_REPOSITORY = 'ghcr.io/launchpad-gitops/launchpad';

/** The port of the controller's HTTP server: health probes, webhooks and /metrics. */
export const HTTP_PORT = 8080;

/** On every object, so that `kubectl get -l app.kubernetes.io/part-of=launchpad` finds the installation. */
export const PART_OF = { 'app.kubernetes.io/part-of': 'launchpad' } as const;

/** The Deployment's selector; never changes between versions, because a Deployment's selector is immutable. */
export const SELECTOR_LABELS = { 'app.kubernetes.io/name': CONTROLLER_NAME } as const;

export const CONTROLLER_LABELS = { ...SELECTOR_LABELS, 'app.kubernetes.io/component': 'controller', ...PART_OF } as const;

/**
 * Marks what `launchpad install` creates only where it is missing and never overwrites: the `default` AppProject (an
 * operator may have restricted it since) and the SealedSecret CRD (Bitnami's own, where installed, stays as it is).
 */
export const INSTALL_MODE_ANNOTATION = 'launchpad.dev/install';
export const CREATE_ONLY = { [INSTALL_MODE_ANNOTATION]: 'create-only' } as const;
