/**
 * The add-ons `launchpad controller` and `launchpad up` run beside the Application controller (see
 * src/controller/addon.ts), and their flags. One entry per add-on, so adding one is a line here and a module of its
 * own — never an edit of the controller.
 */
import type { Command } from 'commander';
import type { ControllerAddon } from '../controller/addon.js';
import { addNotificationsOptions, notificationsAddonFromFlags } from '../notifications/flags.js';
import { addApplicationSetOptions, applicationSetAddonFromFlags } from '../appset/flags.js';
import { addSealedSecretsOptions, sealedSecretsAddonFromFlags } from '../sealed/controller/flags.js';
import { addApiOptions, apiAddonFromFlags } from '../api/flags.js';
import { addPolicyOptions, policyAddonFromFlags } from '../policy/cluster/flags.js';
import { policyEngine } from '../policy/index.js';

/** The add-ons' flags as commander parsed them (each add-on reads its own). */
export type AddonFlags = Readonly<Record<string, unknown>>;

/** Adds every add-on's flags to `launchpad controller`. */
export function addAddonOptions(command: Command): Command {
  addSealedSecretsOptions(command);
  addNotificationsOptions(command);
  addApplicationSetOptions(command);
  addApiOptions(command);
  addPolicyOptions(command);
  return command;
}

/** The add-ons to run, configured from the flags (`launchpad up` passes none: every default). */
export async function controllerAddons(flags: AddonFlags): Promise<ControllerAddon[]> {
  const addons: ControllerAddon[] = [];
  if (flags.addons === false) return addons;
  const sealedSecrets = sealedSecretsAddonFromFlags(flags);
  if (sealedSecrets !== undefined) addons.push(sealedSecrets);
  const notifications = notificationsAddonFromFlags(flags);
  if (notifications !== undefined) addons.push(notifications);
  const applicationSets = applicationSetAddonFromFlags(flags);
  if (applicationSets !== undefined) addons.push(applicationSets);
  const api = await apiAddonFromFlags(flags);
  if (api !== undefined) addons.push(api);
  const policies = policyAddonFromFlags(flags, policyEngine);
  if (policies !== undefined) addons.push(policies);
  return addons;
}
