/** The contract every notification service implements (Slack, webhook, GitHub, email), and what they share. */
import type { RenderedTemplate } from '../templates.js';
import type { Destination, ServiceConfig } from '../types.js';
import type { RetryPolicy } from './http.js';

export interface NotificationService {
  /** The service's name in subscriptions (`slack`, `team-slack`). */
  readonly name: string;
  readonly type: string;
  /** Delivers one rendered template to one recipient; rejects with a DeliveryError (already retried). */
  send(notification: RenderedTemplate, destination: Destination, signal?: AbortSignal): Promise<void>;
}

export interface ServiceDeps {
  readonly retry?: RetryPolicy;
  /** Overrides every Slack service's apiURL (`--slack-api-url`: a stand-in Slack, a proxy). */
  readonly slackApiUrl?: string;
}

export type ServiceFactory = (config: ServiceConfig, deps: ServiceDeps) => NotificationService;

/** Reads a string option; a wrong type is an error naming the service and option. */
export function stringOption(config: ServiceConfig, key: string): string | undefined {
  const value = config.options[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`service.${config.type}${config.name === config.type ? '' : `.${config.name}`} ${key}: must be a string`);
  return String(value);
}

export function serviceLabel(config: ServiceConfig): string {
  return config.name === config.type ? config.type : `${config.type} "${config.name}"`;
}
