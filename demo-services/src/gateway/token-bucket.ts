// Per-client rate limiting with token buckets: each client may burst up to `burst` requests and
// is refilled at `ratePerSecond`. (@fastify/rate-limit counts fixed windows, which lets a client
// send twice the limit across a window edge; a bucket does not.)

export interface TokenBucketOptions {
  ratePerSecond: number;
  burst: number;
  now?: () => number;
  /** Buckets kept at most; idle full ones are forgotten first. */
  maxClients?: number;
}

export interface Decision {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When refused: how long until one token is back. */
  retryAfterMs: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBuckets {
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #maxClients: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: TokenBucketOptions) {
    this.#rate = options.ratePerSecond;
    this.#burst = options.burst;
    this.#now = options.now ?? (() => performance.now());
    this.#maxClients = options.maxClients ?? 10_000;
  }

  get limit(): number {
    return this.#burst;
  }

  take(client: string): Decision {
    const now = this.#now();
    let bucket = this.#buckets.get(client);
    if (!bucket) {
      if (this.#buckets.size >= this.#maxClients) this.#evict(now);
      bucket = { tokens: this.#burst, updatedAt: now };
      this.#buckets.set(client, bucket);
    } else {
      bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.#rate);
      bucket.updatedAt = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterMs: 0 };
    }
    return { allowed: false, remaining: 0, retryAfterMs: Math.ceil(((1 - bucket.tokens) / this.#rate) * 1000) };
  }

  #evict(now: number) {
    for (const [client, bucket] of this.#buckets) {
      const refilled = bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.#rate;
      if (refilled >= this.#burst) this.#buckets.delete(client);
    }
    // Everyone is busy: drop the oldest entry rather than grow without bound.
    if (this.#buckets.size >= this.#maxClients) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
  }
}
