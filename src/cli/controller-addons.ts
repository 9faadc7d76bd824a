/**
 * The add-ons `launchpad controller` and `launchpad up` run beside the Application controller (see
 * src/controller/addon.ts), and their flags. One entry per add-on, so adding one is a line here and a module of its
 * own — never an edit of the controller.
 */
import type { Command } from 'commander';
import type { ControllerAddon } from '../controller/addon.js';

/** The add-ons' flags as commander parsed them (each add-on reads its own). */
export type AddonFlags = Readonly<Record<string, unknown>>;

/** Adds every add-on's flags to `launchpad controller`. */
export function addAddonOptions(command: Command): Command {
  return command;
}

/** The add-ons to run, configured from the flags (`launchpad up` passes none: every default). */
export function controllerAddons(flags: AddonFlags): Promise<ControllerAddon[]> {
  const addons: ControllerAddon[] = [];
  if (flags.addons === false) return Promise.resolve(addons);
  return Promise.resolve(addons);
}
