/**
 * The rate limit of `/v1/verify`, as Bitnami's controller sets it (`--rate-limit 2`, `--rate-limit-burst 2`): each
 * client — told apart by X-Forwarded-For, which the API server's proxy sets — gets a bucket of burst + 1 requests,
 * refilled at `perSecond`. Verification is a decryption oracle, so probing it fast is refused with 429. At most
 * `maxClients` buckets are kept; the oldest goes first.
 */

export interface RateLimitOptions {
  /** @default 2 */
  readonly perSecond?: number;
  /** @default 2 */
  readonly burst?: number;
  /** @default 65_536 */
  readonly maxClients?: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perSecond: number;
  private readonly capacity: number;
  private readonly maxClients: number;

  constructor(options: RateLimitOptions = {}) {
    this.perSecond = options.perSecond ?? 2;
    this.capacity = (options.burst ?? 2) + 1;
    this.maxClients = options.maxClients ?? 65_536;
  }

  /** Takes one request from `client`'s bucket: 0 when allowed, else the seconds until the next one would be. */
  take(client: string, now: number = Date.now()): number {
    const bucket = this.buckets.get(client) ?? { tokens: this.capacity, updated: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.updated) / 1000) * this.perSecond);
    bucket.updated = now;
    this.buckets.delete(client);
    this.buckets.set(client, bucket);
    if (this.buckets.size > this.maxClients) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perSecond);
  }
}
