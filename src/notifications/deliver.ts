/**
 * Turns a planned delivery into messages: each template of the condition rendered for the destination's service
 * (`context.notificationType` set to its type), scrubbed of Secret values, and sent. Used by the add-on and by
 * `launchpad notify` (which renders without sending).
 */
import { describeError } from '../errors.js';
import type { CompiledNotifications } from './compile.js';
import type { PlannedDelivery } from './engine.js';
import { redactDeep } from './redact.js';
import type { Redactor } from './redact.js';
import { renderTemplate } from './templates.js';
import type { RenderedTemplate } from './templates.js';
import { notificationVars } from './vars.js';

export interface RenderedDelivery {
  readonly template: string;
  readonly notification: RenderedTemplate;
}

/** Renders the delivery's templates for its service; throws naming the template when one fails. */
export function renderDelivery(compiled: CompiledNotifications, delivery: Pick<PlannedDelivery, 'templates' | 'destination'>, app: unknown, redact: Redactor): RenderedDelivery[] {
  const service = compiled.services.get(delivery.destination.service);
  const serviceType = service !== undefined && 'type' in service ? service.type : compiled.config.services.get(delivery.destination.service)?.type ?? delivery.destination.service;
  const vars = notificationVars({ app, context: compiled.config.context, serviceType });
  return delivery.templates.map((name) => {
    const template = compiled.templates.get(name);
    if (template === undefined) throw new Error(`template "${name}" is not defined`);
    try {
      return { template: name, notification: redactDeep(renderTemplate(template, vars), redact) };
    } catch (error) {
      throw new Error(`template.${name}: ${redact(describeError(error))}`, { cause: error });
    }
  });
}

export interface DeliveryOutcome {
  readonly delivery: PlannedDelivery;
  /** Undefined when sent; the (redacted) reason otherwise. */
  readonly error?: string;
}

/** Renders and sends one delivery; never throws — a failure comes back redacted for the event and the log. */
export async function deliver(compiled: CompiledNotifications, delivery: PlannedDelivery, app: unknown, options: { readonly redact: Redactor; readonly signal?: AbortSignal }): Promise<DeliveryOutcome> {
  const service = compiled.services.get(delivery.destination.service);
  if (service === undefined) {
    return { delivery, error: `service "${delivery.destination.service}" is not configured — add service.<type>.${delivery.destination.service} (or service.${delivery.destination.service}) to argocd-notifications-cm` };
  }
  if ('unavailable' in service) return { delivery, error: options.redact(service.unavailable) };
  try {
    for (const rendered of renderDelivery(compiled, delivery, app, options.redact)) {
      await service.send(rendered.notification, delivery.destination, options.signal);
    }
    return { delivery };
  } catch (error) {
    return { delivery, error: options.redact(describeError(error)) };
  }
}
