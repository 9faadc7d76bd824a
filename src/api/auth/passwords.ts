/**
 * Passwords are stored as bcrypt hashes (bcryptjs: pure JavaScript, so nothing to build on Node 20 or 24), the format
 * Argo CD keeps in argocd-secret `admin.password` — an argocd-secret written by Argo CD works unchanged.
 */
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** Argo CD's cost factor. */
const COST = 10;
/** Compared against when the account does not exist, so an unknown name takes as long as a wrong password. */
const DUMMY_HASH = bcrypt.hashSync('launchpad-no-such-account', COST);

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

/** True when `password` matches `hash`; false for a missing or malformed hash (after the same work). */
export async function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  const usable = hash !== undefined && /^\$2[abxy]\$\d\d\$/.test(hash);
  const matched = await bcrypt.compare(password, usable ? hash : DUMMY_HASH);
  return usable && matched;
}

/** A password for the admin account: 24 characters from an unambiguous alphabet (~138 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(24)].map((byte) => alphabet[byte % alphabet.length] ?? 'x').join('');
}
