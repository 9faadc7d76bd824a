/**
 * The API's flags on `launchpad controller` (`launchpad up` takes every default): `--no-api`, `--ui-dir` (the built
 * UI to serve at `/`) and `--login-rate-limit`. It also reads the controller's own `--config` and `--offline`, so
 * desired manifests and diffs are rendered exactly as the controller renders them.
 */
import type { Command } from 'commander';
import { LaunchpadError } from '../errors.js';
import { loadConfig } from '../source/config.js';
import { ApiAddon } from './addon.js';

export interface ApiFlags {
  /** false with --no-api. */
  readonly api?: unknown;
  readonly uiDir?: unknown;
  readonly loginRateLimit?: unknown;
  /** The controller's launchpad.yaml path. */
  readonly config?: unknown;
  readonly offline?: unknown;
}

export function addApiOptions(command: Command): Command {
  return command
    .option('--no-api', 'do not serve the API and UI (/api/v1, /auth, /) beside the controller')
    .option('--ui-dir <dir>', 'the built UI to serve at / (default: dist/ui when present)')
    .option('--login-rate-limit <n>', 'login attempts allowed per client address per minute', '10');
}

/** The add-on configured from parsed flags; undefined with --no-api. */
export async function apiAddonFromFlags(flags: ApiFlags): Promise<ApiAddon | undefined> {
  if (flags.api === false) return undefined;
  const limit = Number(typeof flags.loginRateLimit === 'string' ? flags.loginRateLimit : '10');
  if (!Number.isInteger(limit) || limit < 1) throw new LaunchpadError(`--login-rate-limit ${String(flags.loginRateLimit)}: not a positive whole number`, { fix: 'e.g. --login-rate-limit 10' });
  const config = typeof flags.config === 'string' && flags.config !== '' ? await loadConfig(flags.config) : undefined;
  return new ApiAddon({
    loginRateLimit: limit,
    offline: flags.offline === true,
    ...(config === undefined ? {} : { config }),
    ...(typeof flags.uiDir === 'string' && flags.uiDir !== '' ? { uiDir: flags.uiDir } : {}),
  });
}
