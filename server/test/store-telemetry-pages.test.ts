// The telemetry database file of a new SQLite store gets 4 KiB pages: each commit writes every
// index page it touched whole, so the page size multiplies what ingest writes (store.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { openStore } from '../src/store/store.js';

it('creates the telemetry database of a new SQLite store with 4 KiB pages, in WAL mode', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'signalbox-pages-'));
  const store = await openStore(`sqlite:${join(dir, 'signalbox.db')}`);
  try {
    await store.migrate();
    const sqlite = store.sqlite;
    assert.ok(sqlite);
    assert.equal(sqlite.pragma('telemetry.page_size', { simple: true }), 4096);
    assert.equal(sqlite.pragma('telemetry.journal_mode', { simple: true }), 'wal');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
