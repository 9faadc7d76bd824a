/**
 * The argocd-cm options of `sync`, `diff --live` and `status`: settings are read from the cluster's `argocd-cm`
 * (`--argocd-namespace`, default `argocd`) unless `--argocd-cm <file>` gives them offline. Problems go to stderr;
 * a sync refuses to run on an argocd-cm it cannot fully read (an exclusion it missed could apply what the team
 * excluded), the read-only commands say so and go on.
 */
import type { Command } from 'commander';
import { LaunchpadError } from '../errors.js';
import { luaHealthFromArgoCdSettings, setCustomHealthChecks } from '../health/lua/index.js';
import type { KubeClient } from '../kube/types.js';
import type { ArgoCdSettings } from '../model/argocd-cm.js';
import { DEFAULT_ARGOCD_SETTINGS } from '../model/argocd-cm.js';
import { DEFAULT_ARGOCD_NAMESPACE, loadArgoCdSettingsFile, readArgoCdSettings } from '../settings/load.js';

export interface ArgoCdCmFlags {
  readonly argocdCm?: string;
  readonly argocdNamespace?: string;
}

export function addArgoCdCmOptions(command: Command): Command {
  return command
    .option('--argocd-cm <file>', 'argocd-cm ConfigMap manifest to take settings from (default: read argocd-cm from the cluster)')
    .option('--argocd-namespace <name>', `namespace of the cluster's argocd-cm (default: ${DEFAULT_ARGOCD_NAMESPACE})`);
}

export interface SettingsReadOptions {
  /** Refuse (throw) when a key could not be read. @default false */
  readonly strict?: boolean;
  readonly warn?: (message: string) => void;
}

export async function argoCdSettingsFor(flags: ArgoCdCmFlags, client: KubeClient | undefined, options: SettingsReadOptions = {}): Promise<ArgoCdSettings> {
  const warn = options.warn ?? ((message: string) => { process.stderr.write(`warning: ${message}\n`); });
  const parsed = flags.argocdCm !== undefined
    ? await loadArgoCdSettingsFile(flags.argocdCm)
    : client === undefined ? undefined : await readArgoCdSettings(client, flags.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE);
  if (parsed === undefined) return DEFAULT_ARGOCD_SETTINGS;
  for (const message of parsed.warnings) warn(message);
  if (parsed.errors.length > 0 && options.strict === true) {
    throw new LaunchpadError(`argocd-cm cannot be read fully:\n  ${parsed.errors.join('\n  ')}`, { fix: 'fix these keys of argocd-cm (nothing was synced)' });
  }
  for (const message of parsed.errors) warn(message);
  // Its Lua health checks (resource.customizations.health.*) judge what this command waits for and reports.
  setCustomHealthChecks({ argoCdConfigMap: luaHealthFromArgoCdSettings(parsed.settings) });
  return parsed.settings;
}
