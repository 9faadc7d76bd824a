/**
 * `launchpad admin`: the API's accounts and tokens, straight through the cluster (kubectl conventions).
 * - `admin password` prints the initial admin password (argocd-initial-admin-secret, as `argocd admin
 *   initial-password`); with `--reset` a new one is generated, hashed into argocd-secret and shown once.
 * - `admin token create [--account A] [--expires-in 30d] [--description D]` prints a new API token — the only
 *   time it is shown; `admin token list` shows ids, accounts and expiry (never a token); `admin token revoke <id>`.
 */
import type { Command } from 'commander';
import { ADMIN, ARGOCD_CM, ARGOCD_SECRET, INITIAL_ADMIN_SECRET, ensureAdminAccount, initialAdminPassword, readAccounts } from '../../api/auth/accounts.js';
import { generatePassword, hashPassword } from '../../api/auth/passwords.js';
import { createToken, listTokens, revokeToken, TOKENS_SECRET } from '../../api/auth/tokens.js';
import { LaunchpadError } from '../../errors.js';
import type { KubeClient } from '../../kube/types.js';
import { parseGoDuration } from '../../model/duration.js';
import { addKubeOptions, kubeClientFor } from '../kube-options.js';
import type { KubeFlags } from '../kube-options.js';
import { formatTable } from '../output/table.js';
import { currentUser } from './app/context.js';

interface AdminFlags extends KubeFlags {
  readonly namespace: string;
}

async function withClient<T>(flags: KubeFlags, work: (client: KubeClient) => Promise<T>): Promise<T> {
  const client = await kubeClientFor(flags);
  try {
    return await work(client);
  } finally {
    client.close?.();
  }
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

async function resetAdminPassword(client: KubeClient, namespace: string): Promise<string> {
  const password = generatePassword();
  const ref = (name: string): { apiVersion: string; kind: string; namespace: string; name: string } => ({ apiVersion: 'v1', kind: 'Secret', namespace, name });
  await client.apply({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: INITIAL_ADMIN_SECRET, namespace }, data: { password: b64(password) } }, { fieldManager: 'launchpad-admin' });
  await client.patch(ref(ARGOCD_SECRET), { data: { 'admin.password': b64(await hashPassword(password)), 'admin.passwordMtime': b64(new Date().toISOString()) } });
  return password;
}

function expiresIn(text: string | undefined): number | undefined {
  if (text === undefined || text === '0' || text === 'never') return undefined;
  const days = /^(\d+)d$/.exec(text);
  const ms = days?.[1] === undefined ? parseGoDuration(text) : Number(days[1]) * 86_400_000;
  if (ms === undefined || ms <= 0) throw new LaunchpadError(`--expires-in ${text} is not a duration`, { fix: 'use e.g. 12h, 30d, or 0 for a token that never expires' });
  return ms;
}

function registerToken(admin: Command): void {
  const token = admin.command('token').description('API tokens (Authorization: Bearer …) for scripts and `launchpad app --server`');
  addKubeOptions(token.command('create'))
    .description('create an API token and print it (it is shown only this once)')
    .option('-n, --namespace <namespace>', 'the controller\'s namespace', 'argocd')
    .option('--account <name>', 'the account the token acts as (its RBAC applies)', ADMIN)
    .option('--expires-in <duration>', 'lifetime, e.g. 12h or 30d; 0 for never', '30d')
    .option('--description <text>', 'what the token is for', '')
    .action(async (flags: AdminFlags & { account: string; expiresIn: string; description: string }) => {
      const lifetime = expiresIn(flags.expiresIn);
      await withClient(flags, async (client) => {
        const accounts = readAccounts(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: flags.namespace, name: ARGOCD_CM }), await client.get({ apiVersion: 'v1', kind: 'Secret', namespace: flags.namespace, name: ARGOCD_SECRET }));
        const account = accounts.get(flags.account);
        if (account === undefined) throw new LaunchpadError(`account "${flags.account}" does not exist`, { fix: `the accounts are: ${[...accounts.keys()].join(', ')} (declare more in argocd-cm as accounts.<name>: apiKey)` });
        if (account.name !== ADMIN && !account.capabilities.includes('apiKey')) throw new LaunchpadError(`account "${account.name}" may not hold API tokens`, { fix: `give it the apiKey capability in argocd-cm: accounts.${account.name}: apiKey, login` });
        const made = await createToken(client, flags.namespace, { account: account.name, description: flags.description, createdBy: currentUser(), ...(lifetime === undefined ? {} : { expiresInMs: lifetime }) });
        process.stderr.write(`token ${made.record.id} for account ${account.name}${made.record.expiresAt === undefined ? ', never expires' : `, expires ${made.record.expiresAt}`} — store it now, it is not shown again:\n`);
        process.stdout.write(`${made.token}\n`);
      });
    });
  addKubeOptions(token.command('list'))
    .description('list API tokens (ids, accounts, expiry — never the tokens)')
    .option('-n, --namespace <namespace>', 'the controller\'s namespace', 'argocd')
    .action(async (flags: AdminFlags) => {
      await withClient(flags, async (client) => {
        const records = listTokens(await client.get({ apiVersion: 'v1', kind: 'Secret', namespace: flags.namespace, name: TOKENS_SECRET }));
        if (records.length === 0) {
          process.stderr.write(`no API tokens in namespace ${flags.namespace}\n`);
          return;
        }
        const now = Date.now();
        process.stdout.write(formatTable(['ID', 'ACCOUNT', 'CREATED', 'EXPIRES', 'DESCRIPTION'], records.map((record) => [
          record.id, record.account, record.createdAt, record.expiresAt === undefined ? 'never' : `${record.expiresAt}${Date.parse(record.expiresAt) <= now ? ' (expired)' : ''}`, record.description,
        ])));
      });
    });
  addKubeOptions(token.command('revoke'))
    .description('revoke an API token: it stops working within a second')
    .argument('<id>', 'the token id (launchpad admin token list)')
    .option('-n, --namespace <namespace>', 'the controller\'s namespace', 'argocd')
    .action(async (id: string, flags: AdminFlags) => {
      await withClient(flags, async (client) => {
        const record = await revokeToken(client, flags.namespace, id);
        process.stdout.write(`revoked token ${record.id} (account ${record.account})\n`);
      });
    });
}

export function registerAdmin(program: Command): void {
  const admin = program.command('admin').description('accounts and API tokens of the Launchpad API');
  addKubeOptions(admin.command('password'))
    .description('print the admin password generated at install (argocd-initial-admin-secret)')
    .option('-n, --namespace <namespace>', 'the controller\'s namespace', 'argocd')
    .option('--reset', 'generate a new admin password, store its hash and print it')
    .action(async (flags: AdminFlags & { reset?: boolean }) => {
      await withClient(flags, async (client) => {
        if (flags.reset === true) {
          await ensureAdminAccount(client, flags.namespace);
          process.stdout.write(`${await resetAdminPassword(client, flags.namespace)}\n`);
          return;
        }
        const password = await initialAdminPassword(client, flags.namespace);
        if (password === undefined) {
          throw new LaunchpadError(`no initial admin password in Secret ${flags.namespace}/${INITIAL_ADMIN_SECRET}`, { fix: 'it is made when Launchpad is installed (launchpad install --apply) or its API first starts; if it was deleted after the password was changed, use --reset' });
        }
        process.stdout.write(`${password}\n`);
      });
    });
  registerToken(admin);
}
