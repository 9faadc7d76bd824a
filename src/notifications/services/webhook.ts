/**
 * The generic webhook: `service.webhook.<name>` gives the base `url`, `headers` ([{name, value}]) and `basicAuth`
 * ({username, password}); a template's `webhook.<name>` gives `method` (default GET), `path` (appended to the
 * url) and `body`. A template without a section for this webhook sends nothing to it, as in Argo CD.
 */
import { NotificationsConfigError } from '../config.js';
import { isPlainObject } from '../../model/values.js';
import type { ServiceConfig } from '../types.js';
import { rejected, sendHttp } from './http.js';
import type { NotificationService, ServiceDeps } from './types.js';
import { serviceLabel, stringOption } from './types.js';

function headersOf(config: ServiceConfig): Record<string, string> {
  const headers: Record<string, string> = {};
  const list = config.options.headers ?? [];
  if (!Array.isArray(list)) throw new NotificationsConfigError(`service.webhook.${config.name} headers: must be a list of {name, value}`);
  for (const header of list as unknown[]) {
    if (!isPlainObject(header) || typeof header.name !== 'string') throw new NotificationsConfigError(`service.webhook.${config.name} headers: every entry needs a name and a value`);
    headers[header.name.toLowerCase()] = typeof header.value === 'string' ? header.value : String(header.value);
  }
  const auth = config.options.basicAuth;
  if (isPlainObject(auth)) {
    const part = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
    headers.authorization = `Basic ${Buffer.from(`${part(auth.username)}:${part(auth.password)}`).toString('base64')}`;
  }
  return headers;
}

export function createWebhookService(config: ServiceConfig, deps: ServiceDeps): NotificationService {
  const label = serviceLabel(config);
  const url = stringOption(config, 'url');
  if (url === undefined) throw new NotificationsConfigError(`service.webhook.${config.name}: no url`, { fix: 'set url: to the endpoint (a secret URL as $key from argocd-notifications-secret)' });
  const headers = headersOf(config);
  return {
    name: config.name,
    type: 'webhook',
    async send(notification, _destination, signal) {
      const part = notification.webhook?.[config.name];
      if (part === undefined) return;
      const method = (part.method ?? '') === '' ? 'GET' : (part.method ?? 'GET').toUpperCase();
      const options = { service: label, ...(deps.retry === undefined ? {} : { retry: deps.retry }), ...(signal === undefined ? {} : { signal }) };
      const hasBody = part.body !== undefined && method !== 'GET' && method !== 'HEAD';
      const response = await sendHttp({ method, url: `${url}${part.path ?? ''}`, headers, ...(hasBody ? { body: part.body } : {}) }, options);
      if (response.status < 200 || response.status >= 300) throw rejected(options, response);
    },
  };
}
