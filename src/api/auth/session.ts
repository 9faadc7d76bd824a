/**
 * Browser sessions live in one cookie, `launchpad.session`: who logged in (the account, or the OIDC subject with its
 * groups), how, and until when, signed with HMAC-SHA256 by the key in argocd-secret `server.secretkey`. Signed rather
 * than stored, so every replica serving the API accepts it and nothing is written per login. The cookie is HttpOnly
 * (scripts never see it), SameSite=Lax, Secure behind HTTPS, and lasts as long as the session (24 h, Argo CD's
 * default). Logging out clears it; rotating `server.secretkey` ends every session at once.
 */
import { Signer } from '@fastify/cookie';
import type { UnsignResult } from '@fastify/cookie';

export const SESSION_COOKIE = 'launchpad.session';
/** Argo CD's `users.session.duration` default. */
export const SESSION_TTL_MS = 24 * 60 * 60 * 1000;

export interface SessionClaims {
  /** The RBAC subject: the local account's name, or the OIDC `sub`. */
  readonly sub: string;
  /** What audit lines and the UI show: the account, or the OIDC email or name. */
  readonly name: string;
  readonly groups: readonly string[];
  readonly via: 'local' | 'oidc';
  /** Expiry, ms since the epoch. */
  readonly exp: number;
}

export function encodeSession(claims: SessionClaims): string {
  return Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
}

/** The claims of an (already signature-checked) cookie value; undefined when malformed or expired. */
export function decodeSession(value: string, now = Date.now()): SessionClaims | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<SessionClaims>;
    if (typeof parsed.sub !== 'string' || parsed.sub === '' || typeof parsed.exp !== 'number' || parsed.exp <= now) return undefined;
    if (parsed.via !== 'local' && parsed.via !== 'oidc') return undefined;
    const groups = Array.isArray(parsed.groups) ? parsed.groups.filter((group): group is string => typeof group === 'string') : [];
    return { sub: parsed.sub, name: typeof parsed.name === 'string' ? parsed.name : parsed.sub, groups, via: parsed.via, exp: parsed.exp };
  } catch {
    return undefined;
  }
}

/**
 * The cookie signer, keyed once the API has read argocd-secret (routes are registered before that). Until then
 * nothing can be signed and no signed cookie is accepted.
 */
export class SessionSigner {
  private signer: Signer | undefined;

  setKey(key: string): void {
    this.signer = new Signer(key, 'sha256');
  }

  get ready(): boolean {
    return this.signer !== undefined;
  }

  sign(value: string): string {
    if (this.signer === undefined) throw new Error('the API is not started: sessions cannot be signed yet');
    return this.signer.sign(value);
  }

  unsign(input: string): UnsignResult {
    if (this.signer === undefined) return { valid: false, renew: false, value: null };
    return this.signer.unsign(input);
  }
}
