/**
 * The ApplicationSet controller's flags on `launchpad controller` (and `up`, with every default):
 * `--no-applicationsets` turns it off; `--config` and `--offline`, the controller's own flags, also govern the git
 * generator (repository substitutions, no network).
 */
import type { Command } from 'commander';
import { ApplicationSetAddon } from './controller/addon.js';

export interface ApplicationSetFlags {
  /** false with --no-applicationsets. */
  readonly applicationsets?: unknown;
  readonly config?: unknown;
  readonly offline?: unknown;
}

export function addApplicationSetOptions(command: Command): Command {
  return command.option('--no-applicationsets', 'do not run the ApplicationSet controller (Argo CD-compatible) beside the controller');
}

/** The add-on configured from parsed flags; undefined with --no-applicationsets. */
export function applicationSetAddonFromFlags(flags: ApplicationSetFlags): ApplicationSetAddon | undefined {
  if (flags.applicationsets === false) return undefined;
  return new ApplicationSetAddon({
    ...(typeof flags.config === 'string' && flags.config !== '' ? { configFile: flags.config } : {}),
    ...(flags.offline === true ? { offline: true } : {}),
  });
}
