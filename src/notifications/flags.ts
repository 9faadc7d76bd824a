/**
 * The notifications' flags on `launchpad controller` (`launchpad up` takes every default): `--no-notifications`
 * and `--slack-api-url` (every Slack service posts there: a stand-in, a proxy).
 */
import type { Command } from 'commander';
import { LaunchpadError } from '../errors.js';
import { NotificationsAddon } from './addon.js';

export interface NotificationsFlags {
  /** false with --no-notifications. */
  readonly notifications?: unknown;
  readonly slackApiUrl?: unknown;
}

export function addNotificationsOptions(command: Command): Command {
  return command
    .option('--no-notifications', 'do not send notifications (argocd-notifications-cm) beside the controller')
    .option('--slack-api-url <url>', 'send every Slack notification to this Slack-compatible Web API instead (default: each service\'s apiURL, else https://slack.com/api/)');
}

/** The add-on configured from parsed flags; undefined with --no-notifications. */
export function notificationsAddonFromFlags(flags: NotificationsFlags): NotificationsAddon | undefined {
  if (flags.notifications === false) return undefined;
  const url = typeof flags.slackApiUrl === 'string' && flags.slackApiUrl !== '' ? flags.slackApiUrl : undefined;
  if (url !== undefined && !/^https?:\/\/[^/]+/.test(url)) throw new LaunchpadError(`--slack-api-url ${url}: not an http(s) URL`, { fix: 'give the Web API base, e.g. http://127.0.0.1:9000/api/' });
  return new NotificationsAddon(url === undefined ? {} : { slackApiUrl: url });
}
