// The SQLite telemetry writer thread leaves checkpoints to a thread of their own
// (storage/sqlite-checkpoint-worker.ts), so no commit waits for one. Below the writer's own mark
// (64 MiB of WAL), only that thread copies the WAL into the database file: the file grows while
// the writer writes, long before it closes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type Sqlite from 'better-sqlite3';
import pino from 'pino';
import { openStore, type Store } from '../src/store/store.js';
import type { SqliteWriteRows } from '../src/telemetry/storage/sqlite-telemetry-ops.js';
import { SqliteWriterThread } from '../src/telemetry/storage/sqlite-writer-thread.js';

const NOTHING = { spanChunks: [], logs: [], operations: [], attributeKeys: [], attributeValues: [] };
const ATTRIBUTES = JSON.stringify({ 'http.route': '/orders/{id}', note: 'x'.repeat(900) });

describe('SQLite checkpoints on a thread of their own', () => {
  let dir: string;
  let store: Store;
  let writer: SqliteWriterThread;
  let file: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'signalbox-checkpoint-'));
    store = await openStore(`sqlite:${join(dir, 'signalbox.db')}`);
    await store.migrate();
    file = store.telemetryFile as string;
    writer = new SqliteWriterThread(file, pino({ level: 'silent' }));
  });
  after(async () => {
    await writer?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the WAL into the database file while the writer writes, below the writer’s own mark', async () => {
    const before = statSync(file).size;
    const now = BigInt(Date.now()) * 1_000_000n;
    // 12,000 spans of ~1 KiB: ~15 MiB of WAL, a quarter of the writer's mark.
    for (let commit = 0; commit < 12; commit++) {
      const spans: unknown[][] = [];
      for (let i = 0; i < 1000; i++) {
        const n = commit * 1000 + i;
        const traceId = n.toString(16).padStart(32, '0');
        spans.push([
          traceId,
          '1'.padStart(16, '0'),
          null,
          'checkout',
          'GET /orders',
          2,
          now + BigInt(n),
          1000n,
          0,
          '',
          ATTRIBUTES,
          '[]',
          '[]',
          'r',
          's',
          '1',
        ]);
      }
      await writer.write({
        ...NOTHING,
        resources: [['r', 'checkout', '{}']],
        spans,
        nowMs: Date.now(),
      } as SqliteWriteRows);
    }
    const deadline = Date.now() + 10_000;
    while (statSync(file).size - before < 10 * 1024 * 1024 && Date.now() < deadline) await sleep(50);
    const grown = statSync(file).size - before;
    assert.ok(grown >= 10 * 1024 * 1024, `the database file grew by ${grown} bytes while the writer was open`);
    const sqlite = store.sqlite as Sqlite.Database;
    assert.equal(sqlite.prepare('select count(*) from telemetry.spans').pluck().get(), 12_000);
  });
});
