// SQLite: spans are found by service and time through (service, start_ns >> 34) instead of
// (service, start_ns), so ingest appends to the index rather than writing a page per span; see
// telemetry/storage/span-start-buckets.ts. PostgreSQL keeps its indexes.
import { type Kysely, sql } from 'kysely';
import type { Migration } from './index.js';

export const spanStartBuckets: Migration = {
  name: '0007-span-start-buckets',
  async up(db: Kysely<unknown>, dialect) {
    if (dialect !== 'sqlite') return;
    await sql`drop index telemetry.spans_service_start`.execute(db);
    // 34: START_BUCKET_BITS as it was when this ran (readers write the same expression).
    await sql`create index telemetry.spans_service_bucket on spans (service, (start_ns >> 34))`.execute(db);
  },
};
