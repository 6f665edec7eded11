// How SQLite finds spans by service and start time: through an index on (service, start_ns >> 34),
// a start "bucket" of 2^34 ns (~17 s), not on (service, start_ns).
//
// Why: spans arrive up to a minute or more after they started, so new start_ns values fall
// anywhere in each service's last minute of the index, and every commit dirtied one index page
// per span (a full 4 KiB page in the WAL, written again at checkpoint: 6.6 KB per span, most of
// the bytes ingest wrote). In a bucket index, rows of one (service, bucket) are ordered by rowid,
// which only grows: new spans append at the end of a few buckets per service, and a commit
// touches a few pages per service. Readers bound the bucket as well as start_ns, and read
// newest first bucket by bucket (SQLite sorts each bucket's rows and stops at the LIMIT).
//
// PostgreSQL keeps (service, start_ns): its inserts run in its own processes, and a B-tree
// page there is not rewritten whole on each commit.
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Dialect } from '../../store/migrations/index.js';

/** The bucket of a start time is start_ns >> START_BUCKET_BITS (2^34 ns ≈ 17.2 s). */
export const START_BUCKET_BITS = 34;

/** The start bucket of a time in ns. */
export function startBucket(ns: bigint): bigint {
  return ns >> BigInt(START_BUCKET_BITS);
}

/** `start_ns`, qualified by a table reference when one is given. */
function startColumn(table?: string): string {
  return table ? `${table}.start_ns` : 'start_ns';
}

/**
 * The indexed expression as SQL text, for a span table reference (`spans` or an alias). It has to
 * be written exactly like this, with the shift as a literal, for SQLite to match the index; the
 * writer thread's statements (sqlite-telemetry-ops.ts) use it as text, queries as startBucketOf().
 */
export function startBucketSql(table?: string): string {
  return `(${startColumn(table)} >> ${START_BUCKET_BITS})`;
}

/** startBucketSql() for Kysely queries. */
export function startBucketOf(table?: string): RawBuilder<bigint> {
  return sql.raw(startBucketSql(table));
}

/**
 * start_ns in [fromNs, toNs): on SQLite, bounded by bucket too, so the (service, bucket) index
 * serves the range. `toNs` is exclusive; pass null for no lower or upper bound.
 */
export function startWindow(
  dialect: Dialect,
  fromNs: bigint | null,
  toNs: bigint | null,
  table?: string,
): RawBuilder<SqlBool> {
  const column = sql.raw(startColumn(table));
  const parts: RawBuilder<unknown>[] = [];
  if (fromNs !== null) parts.push(sql`${column} >= ${fromNs}`);
  if (toNs !== null) parts.push(sql`${column} < ${toNs}`);
  if (dialect === 'sqlite') {
    const bucket = startBucketOf(table);
    if (fromNs !== null) parts.push(sql`${bucket} >= ${startBucket(fromNs)}`);
    if (toNs !== null) parts.push(sql`${bucket} <= ${startBucket(toNs - 1n)}`);
  }
  if (parts.length === 0) return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** ORDER BY for newest first: on SQLite by bucket, then start_ns (the same order, index-led). */
export function newestFirst(dialect: Dialect, table?: string): RawBuilder<unknown> {
  const column = sql.raw(startColumn(table));
  return dialect === 'sqlite' ? sql`${startBucketOf(table)} desc, ${column} desc` : sql`${column} desc`;
}
