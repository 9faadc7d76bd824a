/**
 * Slack through its Web API with a bot token: `chat.postMessage` (text, attachments, blocks, username, icon) and,
 * for templates with a `groupingKey`, threads — the first message of a key starts a thread, later ones reply in it
 * (`deliveryPolicy: Post`), also update the first (`PostAndUpdate`) or only update it (`Update`). `apiURL`
 * points at another Slack-compatible endpoint; `defaultChannel` (Launchpad's) receives subscriptions naming none. Thread timestamps live in memory, as in Argo CD.
 */
import { NotificationsConfigError } from '../config.js';
import type { RenderedTemplate } from '../templates.js';
import type { Destination, ServiceConfig } from '../types.js';
import { DeliveryError, rejected, sendHttp } from './http.js';
import type { SendOptions } from './http.js';
import type { NotificationService, ServiceDeps } from './types.js';
import { serviceLabel, stringOption } from './types.js';

const SLACK_API = 'https://slack.com/api/';
const POLICIES = new Set(['Post', 'PostAndUpdate', 'Update']);

/** Slack errors that retrying cannot fix, with what to do. */
const FIXES: Readonly<Record<string, string>> = {
  invalid_auth: 'check the bot token in argocd-notifications-secret',
  not_authed: 'set token: $slack-token in service.slack and the key in argocd-notifications-secret',
  account_inactive: 'the token belongs to a deleted user or a removed app: issue a new bot token',
  channel_not_found: 'name an existing channel in the subscription annotation (subscribe.<trigger>.slack: my-channel) and invite the bot',
  not_in_channel: 'invite the bot to the channel (/invite @your-bot)',
};

interface SlackAnswer {
  readonly ok?: boolean;
  readonly error?: string;
  readonly ts?: string;
  readonly channel?: string;
}

function parseJsonList(text: string | undefined, what: string, service: string): unknown[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (!Array.isArray(value)) throw new Error('not a JSON array');
    return value as unknown[];
  } catch (error) {
    throw new DeliveryError(`${service}: the template's slack.${what} is not a JSON array after rendering (${error instanceof Error ? error.message : String(error)})`, { fix: `fix slack.${what} in the template so it renders JSON` });
  }
}

function icon(value: string | undefined): Record<string, string> {
  if (value === undefined || value === '') return {};
  if (/^:.+:$/.test(value)) return { icon_emoji: value };
  return /^https?:\/\/[^/]+/.test(value) ? { icon_url: value } : {};
}

export function createSlackService(config: ServiceConfig, deps: ServiceDeps): NotificationService {
  const label = serviceLabel(config);
  const token = stringOption(config, 'token');
  if (token === undefined) throw new NotificationsConfigError(`service.slack${config.name === 'slack' ? '' : `.${config.name}`}: no token`, { fix: 'set token: $slack-token and put the bot token under slack-token in argocd-notifications-secret' });
  const base = deps.slackApiUrl ?? stringOption(config, 'apiURL') ?? SLACK_API;
  const apiURL = base.endsWith('/') ? base : `${base}/`;
  const defaults = { username: stringOption(config, 'username'), icon: stringOption(config, 'icon'), disableUnfurl: config.options.disableUnfurl === true, channel: stringOption(config, 'defaultChannel') };
  // recipient → groupingKey → thread timestamp; recipient → channel id (chat.update wants the id).
  const threads = new Map<string, Map<string, string>>();
  const channelIds = new Map<string, string>();
  const options = (signal?: AbortSignal): SendOptions => ({ service: label, ...(deps.retry === undefined ? {} : { retry: deps.retry }), ...(signal === undefined ? {} : { signal }) });

  async function call(method: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<SlackAnswer> {
    const sendOptions = options(signal);
    const response = await sendHttp({ method: 'POST', url: `${apiURL}${method}`, headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token ?? ''}` }, body: JSON.stringify(body) }, sendOptions);
    if (response.status < 200 || response.status >= 300) throw rejected(sendOptions, response);
    let answer: SlackAnswer;
    try {
      answer = JSON.parse(response.text) as SlackAnswer;
    } catch {
      throw new DeliveryError(`${label}: ${method} answered something other than JSON`, { fix: 'check apiURL: it must be Slack\'s Web API (https://slack.com/api/)' });
    }
    if (answer.ok !== true) {
      const error = answer.error ?? 'unknown_error';
      throw new DeliveryError(`${label}: ${method} failed: ${error}`, FIXES[error] === undefined ? {} : { fix: FIXES[error] });
    }
    return answer;
  }

  function message(notification: RenderedTemplate, destination: Destination): Record<string, unknown> {
    const slack = notification.slack ?? {};
    const attachments = parseJsonList(slack.attachments, 'attachments', label);
    const blocks = parseJsonList(slack.blocks, 'blocks', label);
    const username = slack.username !== undefined && slack.username !== '' ? slack.username : defaults.username;
    return {
      // An empty subscription (`subscribe.on-sync-succeeded.slack: ""`) goes to defaultChannel, a Launchpad option
      // Argo CD ignores; without it Slack answers channel_not_found, as it does for Argo CD.
      channel: destination.recipient === '' ? defaults.channel ?? '' : destination.recipient,
      text: notification.message ?? '',
      ...(attachments === undefined ? {} : { attachments }),
      ...(blocks === undefined ? {} : { blocks }),
      ...(username === undefined ? {} : { username }),
      ...icon(slack.icon !== undefined && slack.icon !== '' ? slack.icon : defaults.icon),
      ...(defaults.disableUnfurl ? { unfurl_links: false, unfurl_media: false } : {}),
    };
  }

  interface Delivery {
    readonly body: Record<string, unknown>;
    readonly recipient: string;
    readonly groupingKey: string;
    readonly thread: string | undefined;
    readonly broadcast: boolean;
  }

  /** Posts (in the key's thread when there is one) and remembers the thread a first message starts. */
  async function post(delivery: Delivery, signal?: AbortSignal): Promise<void> {
    const { body, recipient, groupingKey, thread } = delivery;
    const threading = thread === undefined ? {} : { thread_ts: thread, ...(delivery.broadcast ? { reply_broadcast: true } : {}) };
    const answer = await call('chat.postMessage', { ...body, ...threading }, signal);
    if (answer.channel !== undefined) channelIds.set(recipient, answer.channel);
    if (groupingKey === '' || thread !== undefined || answer.ts === undefined) return;
    threads.set(recipient, (threads.get(recipient) ?? new Map<string, string>()).set(groupingKey, answer.ts));
  }

  return {
    name: config.name,
    type: 'slack',
    async send(notification, destination, signal) {
      const slack = notification.slack ?? {};
      const groupingKey = slack.groupingKey ?? '';
      const policy = slack.deliveryPolicy === undefined || slack.deliveryPolicy === '' ? 'Post' : slack.deliveryPolicy;
      if (!POLICIES.has(policy)) throw new DeliveryError(`${label}: deliveryPolicy ${JSON.stringify(policy)} is not Post, PostAndUpdate or Update`);
      const body = message(notification, destination);
      const thread = groupingKey === '' ? undefined : threads.get(destination.recipient)?.get(groupingKey);
      if (thread === undefined || policy !== 'Update') await post({ body, recipient: destination.recipient, groupingKey, thread, broadcast: slack.notifyBroadcast === true }, signal);
      if (thread !== undefined && policy !== 'Post') {
        await call('chat.update', { ...body, channel: channelIds.get(destination.recipient) ?? destination.recipient, ts: thread }, signal);
      }
    },
  };
}
