/**
 * Email over SMTP with nodemailer: `service.email` gives `host`, `port`, `from`, `username`/`password` (usually
 * `$email-password`), `html` (send the message as HTML) and `insecure_skip_verify`; the recipient is the address
 * (`subscribe.on-sync-failed.email: ops@example.com`), the template's `email.subject` the subject. Transient SMTP
 * failures (connection, 4xx replies) are retried with backoff; 5xx replies are final.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createTransport } from 'nodemailer';
import { NotificationsConfigError } from '../config.js';
import type { ServiceConfig } from '../types.js';
import { DEFAULT_RETRY, DeliveryError } from './http.js';
import type { NotificationService, ServiceDeps } from './types.js';
import { serviceLabel, stringOption } from './types.js';

/** SMTP reply code of a nodemailer error, when the server answered. */
function replyCode(error: unknown): number | undefined {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' ? code : undefined;
}

/** A failed send as a DeliveryError: 5xx replies are final, the rest worth another try. */
function classify(error: unknown, label: string, tries: number): DeliveryError {
  const code = replyCode(error);
  // Only the reply code is kept: server messages can echo credentials or addresses.
  const what = code === undefined ? 'could not reach the SMTP server' : `SMTP ${code}`;
  return new DeliveryError(`${label}: ${what} after ${tries} ${tries === 1 ? 'attempt' : 'attempts'}`, { errorClass: code !== undefined && code >= 500 ? 'terminal' : 'retryable' });
}

export function createEmailService(config: ServiceConfig, deps: ServiceDeps): NotificationService {
  const label = serviceLabel(config);
  const host = stringOption(config, 'host');
  const from = stringOption(config, 'from');
  if (host === undefined || from === undefined) throw new NotificationsConfigError(`service.email${config.name === 'email' ? '' : `.${config.name}`}: host and from are required`);
  const port = Number(stringOption(config, 'port') ?? '587');
  const username = stringOption(config, 'username');
  const transport = createTransport({
    host,
    port,
    secure: port === 465,
    ...(username === undefined ? {} : { auth: { user: username, pass: stringOption(config, 'password') ?? '' } }),
    tls: { rejectUnauthorized: config.options.insecure_skip_verify !== true },
    connectionTimeout: 15_000,
  });
  const html = config.options.html === true;
  const retry = deps.retry ?? DEFAULT_RETRY;
  return {
    name: config.name,
    type: 'email',
    async send(notification, destination, signal) {
      if (destination.recipient === '') throw new DeliveryError(`${label}: the subscription names no address`, { fix: 'write the address in the annotation: subscribe.<trigger>.email: ops@example.com' });
      const message = { from, to: destination.recipient.split(',').map((item) => item.trim()), subject: notification.email?.subject ?? '', ...(html ? { html: notification.message ?? '' } : { text: notification.message ?? '' }) };
      for (let tries = 1; ; tries++) {
        try {
          await transport.sendMail(message);
          return;
        } catch (error) {
          const failure = classify(error, label, tries);
          if (failure.errorClass === 'terminal' || tries >= retry.attempts || signal?.aborted === true) throw failure;
        }
        await sleep(Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (tries - 1)));
      }
    },
  };
}
