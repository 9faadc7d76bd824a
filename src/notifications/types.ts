/**
 * The notifications configuration as argocd-notifications-cm and argocd-notifications-secret hold it, after
 * parsing and before compiling. Field names follow Argo CD's so a ConfigMap moves over unchanged.
 */

/** One entry of `trigger.<name>`: when `when` turns true, the `send` templates go to every subscriber. */
export interface TriggerCondition {
  readonly when: string;
  readonly send: readonly string[];
  /** An expression whose value makes the notification once per value (a revision, an annotation). */
  readonly oncePer?: string;
  readonly description?: string;
}

export interface SlackTemplate {
  readonly attachments?: string;
  readonly blocks?: string;
  readonly groupingKey?: string;
  readonly notifyBroadcast?: boolean;
  /** Post (default), PostAndUpdate or Update the message of the same groupingKey. */
  readonly deliveryPolicy?: string;
  readonly username?: string;
  readonly icon?: string;
}

export interface WebhookTemplate {
  readonly method?: string;
  readonly path?: string;
  readonly body?: string;
}

export interface GitHubTemplate {
  readonly repoURLPath?: string;
  readonly revisionPath?: string;
  readonly status?: { readonly state?: string; readonly label?: string; readonly targetURL?: string };
  readonly deployment?: {
    readonly state?: string;
    readonly environment?: string;
    readonly environmentURL?: string;
    readonly logURL?: string;
    readonly requiredContexts?: readonly string[];
    readonly autoMerge?: boolean;
    readonly transientEnvironment?: boolean;
    readonly reference?: string;
  };
}

/** `template.<name>`: a message plus each service's own parts. Every string is a Go template. */
export interface NotificationTemplate {
  readonly message?: string;
  readonly email?: { readonly subject?: string };
  readonly slack?: SlackTemplate;
  /** Keyed by the webhook service's name (`service.webhook.<name>`). */
  readonly webhook?: Readonly<Record<string, WebhookTemplate>>;
  readonly github?: GitHubTemplate;
}

/** `service.<type>[.<name>]`, with `$key` references already replaced from the Secret. */
export interface ServiceConfig {
  readonly name: string;
  readonly type: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** Why the service cannot send (a `$key` the Secret lacks): it is skipped with this message, the others send. */
  readonly unavailable?: string;
}

/** One entry of the ConfigMap's `subscriptions`: every matching Application gets these. */
export interface DefaultSubscription {
  /** `<service>:<recipient>` (or `<service>` alone). */
  readonly recipients: readonly string[];
  /** @default the ConfigMap's defaultTriggers */
  readonly triggers: readonly string[];
  /** A label selector (`team=shop,env!=dev`); empty matches every Application. */
  readonly selector: string;
}

export interface NotificationsConfig {
  readonly services: ReadonlyMap<string, ServiceConfig>;
  readonly templates: ReadonlyMap<string, NotificationTemplate>;
  readonly triggers: ReadonlyMap<string, readonly TriggerCondition[]>;
  readonly subscriptions: readonly DefaultSubscription[];
  readonly defaultTriggers: readonly string[];
  /** `defaultTriggers.<service>`: the triggers of `subscribe.<service>` annotations without one. */
  readonly serviceDefaultTriggers: ReadonlyMap<string, readonly string[]>;
  /** `context`: `argocdUrl` and whatever else templates read as `.context.<key>`. */
  readonly context: Readonly<Record<string, string>>;
  /** Every value of argocd-notifications-secret: redacted wherever it could appear (logs, events, errors). */
  readonly secretValues: readonly string[];
}

/** Where one notification goes: a configured service and a recipient (channel, address; may be empty). */
export interface Destination {
  readonly service: string;
  readonly recipient: string;
}
