/** Annotation and label keys Launchpad reads or writes, in one place. Argo CD's keys, so manifests stay compatible. */
export const ANNOTATION = {
  syncWave: 'argocd.argoproj.io/sync-wave',
  syncOptions: 'argocd.argoproj.io/sync-options',
  trackingId: 'argocd.argoproj.io/tracking-id',
  hook: 'argocd.argoproj.io/hook',
  hookDeletePolicy: 'argocd.argoproj.io/hook-delete-policy',
  compareOptions: 'argocd.argoproj.io/compare-options',
  ignoreHealthcheck: 'argocd.argoproj.io/ignore-healthcheck',
  helmHook: 'helm.sh/hook',
  helmHookWeight: 'helm.sh/hook-weight',
  helmHookDeletePolicy: 'helm.sh/hook-delete-policy',
} as const;

export const NOTIFICATION_SUBSCRIBE_PREFIX = 'notifications.argoproj.io/subscribe.';
