// The SQLite telemetry writer thread leaves checkpoints to a thread of their own
// (storage/sqlite-checkpoint-worker.ts), so no commit waits for one. Below the writer's own mark
// (64 MiB of WAL), only that thread copies the WAL into the database file: the file grows while
// the writer writes, long before it closes; frames a reader held back are copied once it is done.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Sqlite from 'better-sqlite3';
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

  /** 12,000 spans of ~1 KiB: ~15 MiB of WAL, a quarter of the writer's mark. */
  async function writeSpans(from: number): Promise<void> {
    const now = BigInt(Date.now()) * 1_000_000n;
    for (let commit = 0; commit < 12; commit++) {
      const spans: unknown[][] = [];
      for (let i = 0; i < 1000; i++) {
        const n = from + commit * 1000 + i;
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
  }

  /** How much the database file has grown since `before`, once it has grown by `bytes` or 10 s passed. */
  async function growth(before: number, bytes: number): Promise<number> {
    const deadline = Date.now() + 10_000;
    while (statSync(file).size - before < bytes && Date.now() < deadline) await sleep(50);
    return statSync(file).size - before;
  }

  /** Checkpoints until every committed frame of the WAL is in the database file (or 10 s passed). */
  async function walCopied(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [pass] = (store.sqlite as Sqlite.Database).pragma('telemetry.wal_checkpoint(PASSIVE)') as {
        busy: number;
        log: number;
        checkpointed: number;
      }[];
      if (pass === undefined || (pass.busy === 0 && pass.checkpointed === pass.log)) return;
      assert.ok(Date.now() < deadline, `the WAL kept ${pass.log - pass.checkpointed} frames not copied`);
      await sleep(20);
    }
  }

  it('copies the WAL into the database file while the writer writes, below the writer’s own mark', async () => {
    const before = statSync(file).size;
    await writeSpans(0);
    const grown = await growth(before, 10 * 1024 * 1024);
    assert.ok(grown >= 10 * 1024 * 1024, `the database file grew by ${grown} bytes while the writer was open`);
    const sqlite = store.sqlite as Sqlite.Database;
    assert.equal(sqlite.prepare('select count(*) from telemetry.spans').pluck().get(), 12_000);
  });

  it('copies what a reader held back once the reader is done, with nothing more written', async () => {
    // Whatever the last test left in the WAL goes to the file first, so growth below is this test's.
    // One pass is not enough: the checkpointer thread may be mid-pass (this one is then busy), and
    // what it copies up to the reader's snapshot below would count as growth past the reader.
    await walCopied();
    const reader = new Sqlite(file, { readonly: true });
    try {
      // A read transaction from before the writes: their frames cannot go to the file under it.
      reader.exec('begin');
      reader.prepare('select count(*) from spans').pluck().get();
      const before = statSync(file).size;
      await writeSpans(100_000);
      await sleep(500);
      assert.ok(statSync(file).size - before < 1024 * 1024, 'nothing copied past the reader');
      reader.exec('commit');
      const grown = await growth(before, 10 * 1024 * 1024);
      assert.ok(grown >= 10 * 1024 * 1024, `the database file grew by ${grown} bytes after the reader was done`);
    } finally {
      reader.close();
    }
  });
});
