/**
 * The names the in-cluster unsealer shares with Bitnami's controller (v0.27): annotations users put on Secrets,
 * event reasons, the Synced condition and the event source. Kept in one place so that kubectl output, alerts and
 * dashboards written for Bitnami's controller read the same with Launchpad's.
 */

/** On an existing Secret: the SealedSecret may take it over (and set itself as owner). */
export const MANAGED_ANNOTATION = 'sealedsecrets.bitnami.com/managed';
/** On an existing Secret: the SealedSecret's values, labels and annotations are merged into it; the rest is kept. */
export const PATCH_ANNOTATION = 'sealedsecrets.bitnami.com/patch';

/** Event reasons, as Bitnami's controller records them on the SealedSecret. */
export const REASON_UNSEALED = 'Unsealed';
export const REASON_UNSEAL_FAILED = 'ErrUnsealFailed';
export const REASON_UPDATE_FAILED = 'ErrUpdateFailed';

/** The event source component, as Bitnami's. */
export const EVENT_COMPONENT = 'sealed-secrets';

export const SYNCED_CONDITION = 'Synced';

/** Bitnami's default for `--key-renew-period`: a new sealing key every 30 days. */
export const DEFAULT_KEY_RENEW_PERIOD = '720h';
