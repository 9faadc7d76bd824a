/** The service types Launchpad delivers to, one module each, and the dispatch table that builds them. */
import { NotificationsConfigError } from '../config.js';
import type { ServiceConfig } from '../types.js';
import { createEmailService } from './email.js';
import { createGitHubService } from './github.js';
import { createSlackService } from './slack.js';
import type { NotificationService, ServiceDeps, ServiceFactory } from './types.js';
import { createWebhookService } from './webhook.js';

export const SERVICE_FACTORIES: Readonly<Record<string, ServiceFactory>> = {
  slack: createSlackService,
  webhook: createWebhookService,
  github: createGitHubService,
  email: createEmailService,
};

/** Builds a configured service; an unknown type is an error listing the supported ones. */
export function createService(config: ServiceConfig, deps: ServiceDeps): NotificationService {
  const factory = Object.hasOwn(SERVICE_FACTORIES, config.type) ? SERVICE_FACTORIES[config.type] : undefined;
  if (factory === undefined) {
    throw new NotificationsConfigError(`service.${config.type}${config.name === config.type ? '' : `.${config.name}`}: service type "${config.type}" is not supported by Launchpad`, { fix: `use one of ${Object.keys(SERVICE_FACTORIES).join(', ')}` });
  }
  return factory(config, deps);
}

export type { NotificationService, ServiceDeps } from './types.js';
