/**
 * Secret values of argocd-notifications-secret never leave the process except where a service needs them (a
 * token in an Authorization header): every rendered message, log line, event and error is passed through here
 * first. Longer values are replaced first, so a value containing another is not half-redacted.
 */
export const REDACTED = '[redacted]';

export type Redactor = (text: string) => string;

export function createRedactor(secretValues: readonly string[]): Redactor {
  const values = [...new Set(secretValues)].filter((value) => value.length >= 4).sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  return (text) => values.reduce((result, value) => result.split(value).join(REDACTED), text);
}

/** Redacts every string of a rendered template (message, Slack parts, webhook bodies…). */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, redact)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)])) as T;
  }
  return value;
}
