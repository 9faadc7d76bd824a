/**
 * Sealing keys in the cluster, where Bitnami's controller keeps them: `kubernetes.io/tls` Secrets in the controller
 * namespace labelled `sealedsecrets.bitnami.com/sealed-secrets-key: active` (plus the pre-0.6 Secret named exactly
 * `sealed-secrets-key`). They are watched, not only listed at start, so a key restored from a backup (or `launchpad
 * up` installing the example's demo key) is picked up without a restart. New keys are written with generateName,
 * so the API server picks the suffix, exactly as Bitnami's controller does. Keys are never deleted.
 */
import { describeError } from '../../errors.js';
import type { KubeClient } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import type { Logger } from '../../controller/services.js';
import { DEFAULT_KEY_PREFIX, SEALING_KEY_LABEL, generateSealingKeyPair, sealingKeySecret } from '../keys.js';
import type { KeyRegistry, SealingKey } from './key-registry.js';
import { sealingKeyOfSecret } from './key-registry.js';

export interface KeyStoreOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly registry: KeyRegistry;
  readonly log: Logger;
  /** @default 4096 (Bitnami's --key-size) */
  readonly keySize?: number;
  /** Certificate subject and issuer CN (Bitnami's --my-cn). @default '' */
  readonly commonName?: string;
  /** Called when a key not seen before is registered (failed SealedSecrets may open now). */
  readonly onNewKey?: (key: SealingKey) => void;
}

export class KeyStore {
  constructor(private readonly options: KeyStoreOptions) {}

  /** Watches the key Secrets until `signal` aborts; resolves once every existing key is registered. */
  async start(signal: AbortSignal): Promise<void> {
    const { client, namespace } = this.options;
    let markSynced: () => void = () => undefined;
    const synced = new Promise<void>((resolve) => {
      markSynced = resolve;
    });
    const watching = client.watch('v1', 'Secret', { namespace, labelSelector: `${SEALING_KEY_LABEL}=active`, signal, onSynced: markSynced }, (event) => {
      if (event.type !== 'DELETED') this.add(event.object);
    });
    // A failed first list is the caller's error; a watch that ends later is logged (keys already held stay usable).
    await Promise.race([synced, watching.then(() => undefined)]);
    watching.catch((error: unknown) => {
      this.options.log.warn({ addon: 'sealed-secrets' }, `watch of sealing keys in ${namespace} stopped: ${describeError(error)}`);
    });
    const legacy = await client.get({ apiVersion: 'v1', kind: 'Secret', namespace, name: DEFAULT_KEY_PREFIX });
    if (legacy !== undefined) this.add(legacy);
  }

  /** Makes a new key, stores it as a key Secret and registers it; returns the Secret's name. */
  async generate(): Promise<string> {
    const pair = await generateSealingKeyPair({
      ...(this.options.keySize === undefined ? {} : { keySize: this.options.keySize }),
      ...(this.options.commonName === undefined ? {} : { commonName: this.options.commonName }),
    });
    const created = await this.options.client.create(sealingKeySecret(pair, this.options.namespace) as unknown as KubeObject);
    const name = created.metadata.name ?? '';
    this.register(sealingKeyOfSecret(created, new Date()));
    this.options.log.info({ addon: 'sealed-secrets', secret: `${this.options.namespace}/${name}` }, 'new sealing key written');
    return name;
  }

  private add(object: KubeObject): void {
    try {
      this.register(sealingKeyOfSecret(object));
    } catch (error) {
      // Bitnami logs and skips an unreadable key; the other keys keep working.
      this.options.log.error({ addon: 'sealed-secrets' }, `sealing key skipped: ${describeError(error)}`);
    }
  }

  private register(key: SealingKey): void {
    if (!this.options.registry.register(key)) return;
    this.options.log.info({ addon: 'sealed-secrets', secret: `${this.options.namespace}/${key.secretName}` }, 'sealing key registered');
    this.options.onNewKey?.(key);
  }
}
