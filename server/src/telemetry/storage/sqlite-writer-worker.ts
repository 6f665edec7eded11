// The SQLite telemetry writer thread: the only writer of the telemetry database file, on a
// connection of its own. It runs the calls the main thread sends (write a group, delete for
// retention, measure) one at a time, in order, and answers each; a write is answered once its
// transaction has committed.
import { parentPort, workerData } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';
import { SqliteTelemetryOps, type SqliteWriteRows } from './sqlite-telemetry-ops.js';

export interface WriterRequest {
  id: number;
  op: 'write' | 'deleteBefore' | 'oldest' | 'sizeBytes' | 'pruneCatalogs';
  args: unknown[];
}

export interface WriterReply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { message: string; code?: string };
  /** A write's span chunks, moved back to the caller. */
  chunks?: Uint8Array[];
}

const CHECKPOINT_BYTES = 16 * 1024 * 1024;
const db = new Sqlite((workerData as { file: string }).file);
// Durable at commit against a crash of the process (the WAL is written before the commit
// returns); a 64 MiB cache for the hot index pages; checkpoints every ~16 MiB of WAL, here on
// this thread, never on the server's. A checkpoint runs inside the commit that crosses the mark,
// and every request waiting on that commit waits for it: at 160 MiB that was 200-300 ms (the
// p99 of ingest), at 16 MiB about a tenth, for ~10 % more bytes written (pages changed again
// between two checkpoints go to the file once each).
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 10000');
db.pragma('cache_size = -65536');
db.pragma(`wal_autocheckpoint = ${Math.ceil(CHECKPOINT_BYTES / Number(db.pragma('page_size', { simple: true })))}`);
const ops = new SqliteTelemetryOps(db, 'main');

parentPort?.on('message', (request: WriterRequest | 'close') => {
  if (request === 'close') {
    db.close();
    parentPort?.close();
    return;
  }
  let reply: WriterReply;
  try {
    const method = ops[request.op] as (...args: unknown[]) => unknown;
    reply = { id: request.id, ok: true, result: method.apply(ops, request.args) };
  } catch (error) {
    const e = error as Error & { code?: string };
    reply = { id: request.id, ok: false, error: { message: e.message, ...(e.code ? { code: e.code } : {}) } };
  }
  const chunks = request.op === 'write' ? (request.args[0] as SqliteWriteRows).spanChunks : [];
  if (chunks.length > 0) reply.chunks = chunks;
  parentPort?.postMessage(
    reply,
    chunks.map((c) => c.buffer as ArrayBuffer),
  );
});
