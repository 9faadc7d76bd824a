/**
 * API tokens: `lpt_<id>_<secret>`, shown once when created. Only the SHA-256 of the secret part is stored (a random
 * 256-bit secret needs no slow hash: it cannot be guessed from its hash), with the account it acts as, a
 * description, and when it expires, as one key per token of the Secret `launchpad-api-tokens`. Revoking deletes the
 * key. A token acts as its account: that account's RBAC, and it stops working when the account is disabled.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LaunchpadError } from '../../errors.js';
import { KubeError } from '../../errors.js';
import type { KubeClient } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { stringData } from '../config-reader.js';

export const TOKENS_SECRET = 'launchpad-api-tokens';
const PREFIX = 'lpt_';

export interface TokenRecord {
  readonly id: string;
  readonly account: string;
  readonly description: string;
  readonly createdAt: string;
  /** ISO time; undefined: never expires. */
  readonly expiresAt?: string;
  readonly createdBy: string;
}

interface StoredToken extends TokenRecord {
  readonly hash: string;
}

function withoutHash(stored: StoredToken): TokenRecord {
  const record: Record<string, unknown> = { ...stored };
  delete record.hash;
  return record as unknown as TokenRecord;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function parseStored(id: string, text: string): StoredToken | undefined {
  try {
    const value = JSON.parse(text) as Partial<StoredToken>;
    if (typeof value.hash !== 'string' || typeof value.account !== 'string') return undefined;
    return {
      id, hash: value.hash, account: value.account, description: typeof value.description === 'string' ? value.description : '',
      createdAt: typeof value.createdAt === 'string' ? value.createdAt : '', createdBy: typeof value.createdBy === 'string' ? value.createdBy : '',
      ...(typeof value.expiresAt === 'string' ? { expiresAt: value.expiresAt } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Every token of the Secret, without hashes. */
export function listTokens(secret: KubeObject | undefined): TokenRecord[] {
  return Object.entries(stringData(secret)).flatMap(([id, text]) => {
    const stored = parseStored(id, text);
    if (stored === undefined) return [];
    return [withoutHash(stored)];
  }).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Whether the Secret holds a record for the token's id (valid or not). */
export function knowsToken(secret: KubeObject | undefined, token: string): boolean {
  const id = /^lpt_([0-9a-f]{16})_/.exec(token)?.[1];
  return id !== undefined && stringData(secret)[id] !== undefined;
}

/** The token's record when `token` is a valid, unexpired token of the Secret. */
export function verifyToken(secret: KubeObject | undefined, token: string, now = Date.now()): TokenRecord | undefined {
  const match = /^lpt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/.exec(token);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const text = stringData(secret)[match[1]];
  const stored = text === undefined ? undefined : parseStored(match[1], text);
  if (stored === undefined) return undefined;
  const given = Buffer.from(sha256(match[2]), 'hex');
  const expected = Buffer.from(stored.hash, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (stored.expiresAt !== undefined && Date.parse(stored.expiresAt) <= now) return undefined;
  return withoutHash(stored);
}

export interface CreateTokenOptions {
  readonly account: string;
  readonly description: string;
  /** Lifetime in ms; undefined: never expires. */
  readonly expiresInMs?: number;
  readonly createdBy: string;
}

const ref = (namespace: string): { apiVersion: string; kind: string; namespace: string; name: string } => ({ apiVersion: 'v1', kind: 'Secret', namespace, name: TOKENS_SECRET });

/** Creates a token and returns it whole — the only time its secret part exists outside the caller's hands. */
export async function createToken(client: KubeClient, namespace: string, options: CreateTokenOptions): Promise<{ readonly token: string; readonly record: TokenRecord }> {
  const id = randomBytes(8).toString('hex');
  const secretPart = randomBytes(32).toString('base64url');
  const now = new Date();
  const record: TokenRecord = {
    id, account: options.account, description: options.description, createdAt: now.toISOString(), createdBy: options.createdBy,
    ...(options.expiresInMs === undefined ? {} : { expiresAt: new Date(now.getTime() + options.expiresInMs).toISOString() }),
  };
  const value = Buffer.from(JSON.stringify({ ...record, hash: sha256(secretPart) }), 'utf8').toString('base64');
  const existing = await client.get(ref(namespace));
  if (existing === undefined) {
    const secret = { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: TOKENS_SECRET, namespace, labels: { 'app.kubernetes.io/part-of': 'launchpad' } }, data: { [id]: value } };
    await client.create(secret as KubeObject).catch(async (error: unknown) => {
      // Created meanwhile by another caller: add the key to it instead.
      if (!(error instanceof KubeError && error.status === 409)) throw error;
      await client.patch(ref(namespace), { data: { [id]: value } });
    });
  } else {
    await client.patch(ref(namespace), { data: { [id]: value } });
  }
  return { token: `${PREFIX}${id}_${secretPart}`, record };
}

/** Deletes a token; an unknown id is an error naming the ids there are. */
export async function revokeToken(client: KubeClient, namespace: string, id: string): Promise<TokenRecord> {
  const secret = await client.get(ref(namespace));
  const found = listTokens(secret).find((record) => record.id === id);
  if (found === undefined) {
    const ids = listTokens(secret).map((record) => record.id);
    throw new LaunchpadError(`no API token with id ${id}`, { fix: ids.length === 0 ? 'there are no tokens' : `the token ids are: ${ids.join(', ')} (launchpad admin token list)` });
  }
  await client.patch(ref(namespace), { data: { [id]: null } });
  return found;
}
