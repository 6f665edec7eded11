// Shard leases: how replicas on one store share the check targets so each target is probed by
// exactly one live replica. Each replica records itself in `replicas` (last_seen) and, every
// third of the lease TTL, renews its leases, gives back shards beyond its fair share (shards ÷
// live replicas, rounded up) and claims free or expired ones up to that share. A replica that
// dies stops renewing; its leases expire after the TTL and the survivors claim them on their next
// round, so targets are taken over within TTL + TTL/3.
//
// Claims are single conditional UPDATEs (owner free or expired), so two replicas racing for a
// shard cannot both win: PostgreSQL re-checks the condition under the row lock, SQLite
// serializes writers. A replica stops probing a shard before it releases it, and stops probing
// all of them when it could not renew in time, so ownership never overlaps on purpose.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../store/schema.js';
import { SHARD_COUNT } from './shards.js';

export interface LeaseListener {
  /** Called before the release is written: stop probing these shards now. */
  lost(shards: number[]): void;
  /** Called after the claim is written: start probing these shards. */
  gained(shards: number[]): Promise<void>;
}

/** Replica rows not seen for this many lease TTLs are deleted (they are long dead). */
const FORGET_AFTER_TTLS = 30;

export class LeaseManager {
  private readonly owned = new Set<number>();
  /** Local deadline of the leases held: past it, nothing is probed until a renewal succeeds. */
  private validUntil = 0;
  private startedAt = 0;

  constructor(
    private readonly db: Kysely<Database>,
    readonly replicaId: string,
    readonly ttlMs: number,
    private readonly listener: LeaseListener,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get shards(): ReadonlySet<number> {
    return this.owned;
  }

  owns(shard: number): boolean {
    return this.owned.has(shard);
  }

  /** Whether the leases held are still safely ours (renewed recently enough). */
  valid(now = this.now()): boolean {
    return now < this.validUntil;
  }

  /** Creates the shard rows (first replica on a store) and registers this replica. */
  async init(): Promise<void> {
    this.startedAt = this.now();
    const rows = Array.from({ length: SHARD_COUNT }, (_, shard) => ({ shard, owner: null, expires_at: 0 }));
    await this.db
      .insertInto('check_leases')
      .values(rows)
      .onConflict((oc) => oc.column('shard').doNothing())
      .execute();
  }

  /** One round: heartbeat, renew, rebalance, claim. Throws when the store fails (the caller retries). */
  async round(): Promise<void> {
    const now = this.now();
    const expires = now + this.ttlMs;
    await this.db
      .insertInto('replicas')
      .values({ id: this.replicaId, started_at: this.startedAt, last_seen: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ last_seen: now }))
      .execute();
    const live = await this.db
      .selectFrom('replicas')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('last_seen', '>', now - this.ttlMs)
      .executeTakeFirstOrThrow();
    const fairShare = Math.ceil(SHARD_COUNT / Math.max(1, Number(live.n)));

    // Renew. A shard missing from the answer was taken by someone else after our lease lapsed.
    const renewed = await this.db
      .updateTable('check_leases')
      .set({ expires_at: expires })
      .where('owner', '=', this.replicaId)
      .returning('shard')
      .execute();
    const renewedSet = new Set(renewed.map((r) => r.shard));
    const lapsed = [...this.owned].filter((s) => !renewedSet.has(s));
    if (lapsed.length > 0) {
      this.drop(lapsed);
      this.logger.warn({ shards: lapsed }, 'lost shard leases to another replica');
    }
    // Shards this replica held before a restart under the same id come back without waiting.
    const resumed = [...renewedSet].filter((s) => !this.owned.has(s));
    for (const s of resumed) this.owned.add(s);
    this.validUntil = now + this.ttlMs * 0.75;
    if (resumed.length > 0) await this.take(resumed);

    if (this.owned.size > fairShare) {
      const extra = [...this.owned].sort((a, b) => b - a).slice(0, this.owned.size - fairShare);
      this.drop(extra);
      await this.db
        .updateTable('check_leases')
        .set({ owner: null, expires_at: 0 })
        .where('owner', '=', this.replicaId)
        .where('shard', 'in', extra)
        .execute();
      this.logger.info({ shards: extra.length, fairShare }, 'released shards for other replicas');
    } else if (this.owned.size < fairShare) {
      const candidates = await this.db
        .selectFrom('check_leases')
        .select('shard')
        .where((eb) => eb.or([eb('owner', 'is', null), eb('expires_at', '<', now)]))
        .orderBy('shard')
        .limit(fairShare - this.owned.size)
        .execute();
      if (candidates.length > 0) {
        const claimed = await this.db
          .updateTable('check_leases')
          .set({ owner: this.replicaId, expires_at: expires })
          .where(
            'shard',
            'in',
            candidates.map((c) => c.shard),
          )
          .where((eb) => eb.or([eb('owner', 'is', null), eb('expires_at', '<', now)]))
          .returning('shard')
          .execute();
        const gained = claimed.map((c) => c.shard);
        for (const s of gained) this.owned.add(s);
        if (gained.length > 0) {
          this.logger.info({ shards: gained.length, owned: this.owned.size, fairShare }, 'claimed shards');
          await this.take(gained);
        }
      }
    }

    await this.db
      .deleteFrom('replicas')
      .where('last_seen', '<', now - this.ttlMs * FORGET_AFTER_TTLS)
      .execute();
  }

  /** Stops probing everything when leases could not be renewed in time. */
  expireIfStale(now = this.now()): boolean {
    if (this.owned.size === 0 || this.valid(now)) return false;
    const all = [...this.owned];
    this.drop(all);
    this.logger.warn({ shards: all.length }, 'could not renew shard leases in time; stopped probing them');
    return true;
  }

  /** Gives every lease back and leaves (graceful shutdown), so others take over at once. */
  async releaseAll(): Promise<void> {
    const all = [...this.owned];
    this.drop(all);
    await this.db
      .updateTable('check_leases')
      .set({ owner: null, expires_at: 0 })
      .where('owner', '=', this.replicaId)
      .execute();
    await this.db.deleteFrom('replicas').where('id', '=', this.replicaId).execute();
  }

  /**
   * Hands claimed shards to the listener. If it fails (the store hiccuped while loading), the
   * shards are dropped locally but the leases are kept: the next round finds them renewed but not
   * held and hands them over again.
   */
  private async take(shards: number[]): Promise<void> {
    try {
      await this.listener.gained(shards);
    } catch (error) {
      this.drop(shards);
      throw error;
    }
  }

  private drop(shards: number[]): void {
    if (shards.length === 0) return;
    for (const s of shards) this.owned.delete(s);
    this.listener.lost(shards);
  }
}
