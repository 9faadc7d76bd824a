/**
 * The policy add-on's flags on `launchpad controller` (`launchpad up` takes every default): `--no-policies` (leave
 * policies to an upstream Kyverno), `--policy-webhook-listen`, `--policy-webhook-url`, `--policy-webhook-timeout`,
 * `--policy-admission-budget` and `--policy-resync`.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { LaunchpadError } from '../../errors.js';
import { parseGoDuration } from '../../model/duration.js';
import type { PolicyEngine } from '../api.js';
import type { WebhookReach } from './addon.js';
import { PolicyAddon } from './addon.js';

export interface PolicyFlags {
  /** false with --no-policies. */
  readonly policies?: unknown;
  readonly policyWebhookListen?: unknown;
  readonly policyWebhookUrl?: unknown;
  readonly policyWebhookTimeout?: unknown;
  readonly policyAdmissionBudget?: unknown;
  readonly policyResync?: unknown;
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** In a Pod: the API server reaches the webhook through a Service, not on the Pod's loopback. */
export function runsInCluster(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.KUBERNETES_SERVICE_HOST !== undefined && existsSync(SERVICE_ACCOUNT_TOKEN);
}

export function addPolicyOptions(command: Command): Command {
  return command
    .option('--no-policies', 'do not run Kyverno policies (admission webhooks, reports, generate, cleanup) — e.g. where upstream Kyverno runs them')
    .option('--policy-webhook-listen <host:port>', 'HTTPS address of the policy admission webhook (default 127.0.0.1 on a free port; 0.0.0.0:9443 in a cluster)')
    .option('--policy-webhook-url <url>', 'base URL the API server dials for the webhook (default: the listen address, or the launchpad-policy-webhook Service in a cluster)')
    .option('--policy-webhook-timeout <seconds>', 'the API server\'s timeout per webhook call (1-30) for policies without spec.webhookTimeoutSeconds', '10')
    .option('--policy-admission-budget <duration>', 'answer an admission review within this long, without the engine if it is slower (allow for Audit, refuse for Enforce)', '2s')
    .option('--policy-resync <duration>', 'rescan every object for PolicyReports and reconcile generated objects this often', '1h');
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function durationMs(flag: string, value: string): number {
  const ms = parseGoDuration(value);
  if (ms === undefined || ms <= 0) throw new LaunchpadError(`${flag} ${value}: not a duration`, { fix: 'use Go duration syntax such as 2s, 500ms or 1h' });
  return ms;
}

function timeoutSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 30) throw new LaunchpadError(`--policy-webhook-timeout ${value}: not a whole number of seconds from 1 to 30`, { fix: 'the API server accepts 1 to 30; 10 leaves room for the handler\'s own budget' });
  return seconds;
}

/** The add-on configured from parsed flags; undefined with --no-policies. Missing flags take their defaults. */
export function policyAddonFromFlags(flags: PolicyFlags, engine: PolicyEngine, env: NodeJS.ProcessEnv = process.env): PolicyAddon | undefined {
  if (flags.policies === false) return undefined;
  const inCluster = runsInCluster(env);
  const url = text(flags.policyWebhookUrl);
  if (url !== undefined && !url.startsWith('https://')) throw new LaunchpadError(`--policy-webhook-url ${url}: not an https:// URL`, { fix: 'the API server calls admission webhooks over HTTPS only' });
  const reach: WebhookReach = url !== undefined ? { mode: 'url', url } : inCluster ? { mode: 'service' } : { mode: 'url' };
  const budgetMs = durationMs('--policy-admission-budget', text(flags.policyAdmissionBudget) ?? '2s');
  const timeout = timeoutSeconds(text(flags.policyWebhookTimeout) ?? '10');
  if (budgetMs >= timeout * 1000) throw new LaunchpadError(`--policy-admission-budget must be shorter than --policy-webhook-timeout (${timeout}s)`, { fix: 'the handler must answer before the API server gives up; keep the budget well under the timeout' });
  return new PolicyAddon({
    engine,
    listen: text(flags.policyWebhookListen) ?? (inCluster ? '0.0.0.0:9443' : '127.0.0.1:0'),
    reach,
    timeoutSeconds: timeout,
    budgetMs,
    resyncMs: durationMs('--policy-resync', text(flags.policyResync) ?? '1h'),
  });
}
