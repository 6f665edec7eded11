// One migration set for both dialects, run at start. A migration receives the dialect for the
// few places where SQLite and PostgreSQL differ (column types, partitions). Append new
// migrations at the end; never edit one that has shipped.
import type { Kysely } from 'kysely';
import { registry } from './0001-registry.js';
import { telemetry } from './0002-telemetry.js';
import { topology } from './0003-topology.js';
import { authAudit } from './0004-auth-audit.js';
import { config } from './0005-config.js';
import { breakers } from './0006-breakers.js';
import { spanStartBuckets } from './0007-span-start-buckets.js';
import { spanTraceHeads } from './0008-span-trace-heads.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  name: string;
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

export const migrations: Migration[] = [
  registry,
  telemetry,
  topology,
  authAudit,
  config,
  breakers,
  spanStartBuckets,
  spanTraceHeads,
];
