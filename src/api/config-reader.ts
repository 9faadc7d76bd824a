/**
 * The API's view of its settings objects (argocd-cm, argocd-rbac-cm, argocd-secret, the token Secret): each read
 * from the API server at most once per `ttlMs`, so a request never waits on the API server for them while a change
 * (a revoked token, a new policy line) is in force within a second. `invalidate` forgets one at once (the API's own
 * writes).
 */
import type { KubeClient } from '../kube/types.js';
import type { KubeObject } from '../model/resource.js';

/** @default 1 s */
export const SETTINGS_TTL_MS = 1_000;

export class ConfigReader {
  private readonly cached = new Map<string, { readonly at: number; readonly value: Promise<KubeObject | undefined> }>();

  constructor(private readonly client: KubeClient, readonly namespace: string, private readonly ttlMs = SETTINGS_TTL_MS) {}

  configMap(name: string): Promise<KubeObject | undefined> {
    return this.read('ConfigMap', name);
  }

  secret(name: string): Promise<KubeObject | undefined> {
    return this.read('Secret', name);
  }

  invalidate(kind: 'ConfigMap' | 'Secret', name: string): void {
    this.cached.delete(`${kind}/${name}`);
  }

  private read(kind: 'ConfigMap' | 'Secret', name: string): Promise<KubeObject | undefined> {
    const key = `${kind}/${name}`;
    const found = this.cached.get(key);
    if (found !== undefined && Date.now() - found.at < this.ttlMs) return found.value;
    const value = this.client.get({ apiVersion: 'v1', kind, namespace: this.namespace, name });
    this.cached.set(key, { at: Date.now(), value });
    // A failed read is not kept: the next request asks again.
    value.catch(() => { if (this.cached.get(key)?.value === value) this.cached.delete(key); });
    return value;
  }
}

/** A Secret's (or ConfigMap's) values as text: Secret `data` decoded from base64, ConfigMap `data` as it is. */
export function stringData(object: KubeObject | undefined): Record<string, string> {
  const data = object?.data;
  if (typeof data !== 'object' || data === null) return {};
  const decode = object?.kind === 'Secret';
  return Object.fromEntries(Object.entries(data as Record<string, unknown>).flatMap(([key, value]) => (typeof value === 'string'
    ? [[key, decode ? Buffer.from(value, 'base64').toString('utf8') : value]]
    : [])));
}
