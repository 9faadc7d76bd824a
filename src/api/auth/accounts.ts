/**
 * Local accounts as Argo CD keeps them: `admin` (disabled by argocd-cm `admin.enabled: "false"`) and every
 * `accounts.<name>: apiKey, login` of argocd-cm (`accounts.<name>.enabled: "false"` disables one); password hashes
 * in argocd-secret (`admin.password`, `accounts.<name>.password`). The admin password is generated once, at install
 * (or when the API first starts without one), hashed into argocd-secret and kept readable in
 * `argocd-initial-admin-secret` for `launchpad admin password` — Argo CD's own arrangement.
 */
import { randomBytes } from 'node:crypto';
import type { KubeClient } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { stringData } from '../config-reader.js';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';

export const ARGOCD_CM = 'argocd-cm';
export const ARGOCD_SECRET = 'argocd-secret';
export const INITIAL_ADMIN_SECRET = 'argocd-initial-admin-secret';
export const ADMIN = 'admin';
/** argocd-secret key of the key that signs session cookies. */
export const SERVER_SECRET_KEY = 'server.secretkey';

export type Capability = 'login' | 'apiKey';

export interface Account {
  readonly name: string;
  readonly enabled: boolean;
  readonly capabilities: readonly Capability[];
  readonly passwordHash?: string;
}

/** The accounts argocd-cm declares, with their hashes from argocd-secret. */
export function readAccounts(argocdCm: KubeObject | undefined, argocdSecret: KubeObject | undefined): Map<string, Account> {
  const cm = stringData(argocdCm);
  const secret = stringData(argocdSecret);
  const accounts = new Map<string, Account>();
  const adminHash = secret['admin.password'];
  accounts.set(ADMIN, { name: ADMIN, enabled: cm['admin.enabled'] !== 'false', capabilities: ['login', 'apiKey'], ...(adminHash === undefined ? {} : { passwordHash: adminHash }) });
  for (const [key, value] of Object.entries(cm)) {
    const match = /^accounts\.([^.]+)$/.exec(key);
    if (match?.[1] === undefined || match[1] === ADMIN) continue;
    const name = match[1];
    const capabilities = value.split(',').map((item) => item.trim()).filter((item): item is Capability => item === 'login' || item === 'apiKey');
    const hash = secret[`accounts.${name}.password`];
    accounts.set(name, { name, enabled: cm[`accounts.${name}.enabled`] !== 'false', capabilities, ...(hash === undefined ? {} : { passwordHash: hash }) });
  }
  return accounts;
}

/** The account when `password` is its password and it may log in; undefined otherwise (same work either way). */
export async function checkLogin(accounts: ReadonlyMap<string, Account>, username: string, password: string): Promise<Account | undefined> {
  const account = accounts.get(username);
  const matched = await verifyPassword(password, account?.passwordHash);
  return matched && account !== undefined && account.enabled && account.capabilities.includes('login') ? account : undefined;
}

function secretRef(namespace: string, name: string): { apiVersion: string; kind: string; namespace: string; name: string } {
  return { apiVersion: 'v1', kind: 'Secret', namespace, name };
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * Makes sure argocd-secret has an admin password hash and a session signing key; when the admin password is
 * generated here, it is also written to argocd-initial-admin-secret. Never replaces what is there. Returns whether
 * a password was generated.
 */
export async function ensureAdminAccount(client: KubeClient, namespace: string): Promise<{ readonly generated: boolean }> {
  const existing = await client.get(secretRef(namespace, ARGOCD_SECRET));
  const data = stringData(existing);
  const additions: Record<string, string> = {};
  let password: string | undefined;
  if (data['admin.password'] === undefined) {
    password = generatePassword();
    additions['admin.password'] = b64(await hashPassword(password));
    additions['admin.passwordMtime'] = b64(new Date().toISOString());
  }
  if (data[SERVER_SECRET_KEY] === undefined) additions[SERVER_SECRET_KEY] = b64(randomBytes(32).toString('base64'));
  if (password !== undefined) {
    // The readable copy first: a password hashed into argocd-secret but never shown would lock the admin out.
    await client.apply({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: INITIAL_ADMIN_SECRET, namespace, labels: { 'app.kubernetes.io/part-of': 'argocd' } }, data: { password: b64(password) } }, { fieldManager: 'launchpad-api' });
  }
  if (Object.keys(additions).length === 0) return { generated: false };
  if (existing === undefined) {
    await client.create({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: ARGOCD_SECRET, namespace, labels: { 'app.kubernetes.io/part-of': 'argocd' } }, data: additions });
  } else {
    // Guarded by resourceVersion: two API servers starting at once never both generate (one gets a conflict).
    await client.patch(secretRef(namespace, ARGOCD_SECRET), { metadata: { resourceVersion: existing.metadata.resourceVersion }, data: additions });
  }
  return { generated: password !== undefined };
}

/** The initial admin password, as `launchpad admin password` shows it; undefined once deleted (or never made). */
export async function initialAdminPassword(client: KubeClient, namespace: string): Promise<string | undefined> {
  return stringData(await client.get(secretRef(namespace, INITIAL_ADMIN_SECRET))).password;
}
