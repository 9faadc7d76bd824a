/**
 * The unsealer's command-line flags, shared by `launchpad controller` (and `up`, with every default) and
 * `launchpad sealed-secrets-controller`: `--no-sealed-secrets`, `--key-renew-period` (720h, 0 = off),
 * `--key-cutoff-time` (RFC 1123 with a numeric zone) and `--sealed-secrets-namespace` (where the keys live).
 */
import type { Command } from 'commander';
import { SealedSecretsAddon } from './addon.js';
import { parseKeyCutoffTime, parseKeyRenewPeriod } from './key-rotation.js';
import { DEFAULT_KEY_RENEW_PERIOD } from './names.js';

export interface SealedSecretsFlags {
  /** false with --no-sealed-secrets. */
  readonly sealedSecrets?: unknown;
  readonly keyRenewPeriod?: unknown;
  readonly keyCutoffTime?: unknown;
  readonly sealedSecretsNamespace?: unknown;
}

export function addSealedSecretsOptions(command: Command, options: { readonly toggle: boolean } = { toggle: true }): Command {
  if (options.toggle) command.option('--no-sealed-secrets', 'do not run the sealed-secrets unsealer (Bitnami-compatible) beside the controller');
  return command
    .option('--key-renew-period <duration>', 'make a new sealing key this often (0 = never); old keys are kept', DEFAULT_KEY_RENEW_PERIOD)
    .option('--key-cutoff-time <time>', 'make a new sealing key at start if the newest is older (RFC 1123, e.g. "Mon, 02 Jan 2026 15:04:05 +0000")')
    .option('--sealed-secrets-namespace <name>', 'namespace of the sealing keys (default: the controller\'s namespace)');
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The add-on configured from parsed flags; undefined with --no-sealed-secrets. Missing flags take their defaults. */
export function sealedSecretsAddonFromFlags(flags: SealedSecretsFlags, defaults: { readonly namespace?: string } = {}): SealedSecretsAddon | undefined {
  if (flags.sealedSecrets === false) return undefined;
  const cutoff = text(flags.keyCutoffTime);
  const namespace = text(flags.sealedSecretsNamespace) ?? defaults.namespace;
  return new SealedSecretsAddon({
    keyRenewPeriodMs: parseKeyRenewPeriod(text(flags.keyRenewPeriod) ?? DEFAULT_KEY_RENEW_PERIOD),
    ...(cutoff === undefined ? {} : { keyCutoff: parseKeyCutoffTime(cutoff) }),
    ...(namespace === undefined ? {} : { namespace }),
  });
}
