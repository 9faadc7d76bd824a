/**
 * The controller's argocd-cm: read at start and re-read every few seconds, so an edit takes effect without a
 * restart. A periodic GET rather than a watch: watches here have no field selector, and a namespace-wide ConfigMap
 * watch would also hold every inventory ConfigMap of the namespace in memory. An argocd-cm with keys that cannot be
 * read is reported and not taken: the last good settings stay (Argo CD's defaults before any) — a broken
 * `resource.exclusions` must not make an automated sync apply what the team excluded.
 */
import { describeError } from '../errors.js';
import type { KubeClient } from '../kube/types.js';
import type { ArgoCdSettings } from '../model/argocd-cm.js';
import { DEFAULT_ARGOCD_SETTINGS } from '../model/argocd-cm.js';
import { DEFAULT_ARGOCD_NAMESPACE, readArgoCdSettings } from './load.js';

export interface SettingsFollowerOptions {
  readonly client: KubeClient;
  /** @default 'argocd' */
  readonly namespace?: string;
  /** How often argocd-cm is read again. @default 10_000 */
  readonly intervalMs?: number;
  readonly signal: AbortSignal;
  /** Called after the settings changed (not for the first read). */
  readonly onChange?: (settings: ArgoCdSettings) => void;
  readonly warn: (message: string) => void;
  readonly error: (message: string) => void;
}

export const DEFAULT_SETTINGS_REFRESH_MS = 10_000;

function fingerprint(settings: ArgoCdSettings): string {
  return JSON.stringify(Object.entries(settings.data).sort(([a], [b]) => a.localeCompare(b)));
}

export class SettingsFollower {
  private settings: ArgoCdSettings = DEFAULT_ARGOCD_SETTINGS;
  private reported = '';
  private timer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(private readonly options: SettingsFollowerOptions) {}

  current(): ArgoCdSettings {
    return this.settings;
  }

  /** Reads argocd-cm once, then keeps following it until the signal aborts. */
  async start(): Promise<void> {
    await this.refresh();
    this.started = true;
    const interval = this.options.intervalMs ?? DEFAULT_SETTINGS_REFRESH_MS;
    this.timer = setInterval(() => { void this.refresh(); }, interval);
    this.timer.unref();
    this.options.signal.addEventListener('abort', () => { clearInterval(this.timer); }, { once: true });
  }

  /** Reads argocd-cm now; true when the settings changed. */
  async refresh(): Promise<boolean> {
    let parsed;
    try {
      parsed = await readArgoCdSettings(this.options.client, this.options.namespace ?? DEFAULT_ARGOCD_NAMESPACE);
    } catch (error) {
      this.reportOnce(`read:${describeError(error)}`, () => { this.options.warn(`argocd-cm could not be read, the last settings stay: ${describeError(error)}`); });
      return false;
    }
    const key = `${fingerprint(parsed.settings)}|${parsed.settings.origin}`;
    if (parsed.errors.length > 0) {
      this.reportOnce(key, () => { this.options.error(`argocd-cm not taken, the last settings stay: ${parsed.errors.join('; ')}`); });
      return false;
    }
    if (fingerprint(parsed.settings) === fingerprint(this.settings) && parsed.settings.origin === this.settings.origin) return false;
    this.reportOnce(key, () => { for (const warning of parsed.warnings) this.options.warn(warning); });
    this.settings = parsed.settings;
    if (this.started) this.options.onChange?.(parsed.settings);
    return true;
  }

  private reportOnce(key: string, report: () => void): void {
    if (this.reported === key) return;
    this.reported = key;
    report();
  }
}
