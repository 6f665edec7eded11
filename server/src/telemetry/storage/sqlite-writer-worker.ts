// The SQLite telemetry writer thread: the only writer of the telemetry database file, on a
// connection of its own. It runs the calls the main thread sends (write a group, delete for
// retention, measure) one at a time, in order, and answers each; a write is answered once its
// transaction has committed.
import { parentPort, type Worker, workerData } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';
import { siblingModule, startWorker } from '../worker-entry.js';
import type { CheckpointerData } from './sqlite-checkpoint-worker.js';
import { SqliteTelemetryOps, type SqliteWriteRows } from './sqlite-telemetry-ops.js';

export interface WriterRequest {
  id: number;
  /** `warm`: answered once this thread and the checkpointer's have loaded. */
  op: 'write' | 'deleteBefore' | 'oldest' | 'sizeBytes' | 'pruneCatalogs' | 'warm';
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

/** Something the server's thread should log, outside any call. */
export interface WriterNotice {
  notice: string;
}

/** The WAL size at which this thread checkpoints itself, when the checkpointer thread has not. */
const CHECKPOINT_BYTES = 64 * 1024 * 1024;
const { file } = workerData as { file: string };
const db = new Sqlite(file);
// Durable at commit against a crash of the process (the WAL is written before the commit
// returns); a 64 MiB cache for the hot index pages. Checkpoints run on a thread of their own
// (sqlite-checkpoint-worker.ts); the automatic one here is the bound for when that thread falls
// behind: it runs inside the commit that crosses the mark, and every request waiting on that
// commit waits for it.
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 10000');
db.pragma('cache_size = -65536');
db.pragma(`wal_autocheckpoint = ${Math.ceil(CHECKPOINT_BYTES / Number(db.pragma('page_size', { simple: true })))}`);
const ops = new SqliteTelemetryOps(db, 'main');

const committed = new Int32Array(new SharedArrayBuffer(4));
let checkpointerRunning = true;
let checkpointerLoaded = () => {};
/** Settles once the checkpointer has loaded, or has stopped. */
const checkpointerReady = new Promise<void>((resolve) => {
  checkpointerLoaded = resolve;
});
const checkpointer = startCheckpointer();

function startCheckpointer(): Worker {
  const data: CheckpointerData = { file, committedRows: committed.buffer as SharedArrayBuffer };
  const worker = startWorker(siblingModule(import.meta.url, 'sqlite-checkpoint-worker'), { ...data });
  worker.once('message', () => checkpointerLoaded());
  // Its failure costs only where checkpoints run (here, at the higher mark), never a write; the
  // server's thread logs it.
  worker.on('error', (error) => {
    const notice: WriterNotice = { notice: `the SQLite checkpointer thread stopped: ${error.message}` };
    parentPort?.postMessage(notice);
  });
  worker.once('exit', () => {
    checkpointerRunning = false;
    checkpointerLoaded();
  });
  return worker;
}

function close(): void {
  db.close();
  parentPort?.close();
}

parentPort?.on('message', (request: WriterRequest | 'close') => {
  if (request === 'close') {
    if (!checkpointerRunning) return close();
    checkpointer.once('exit', close);
    checkpointer.postMessage('close');
    return;
  }
  if (request.op === 'warm') {
    void checkpointerReady.then(() => parentPort?.postMessage({ id: request.id, ok: true } satisfies WriterReply));
    return;
  }
  let reply: WriterReply;
  try {
    const method = ops[request.op] as (...args: unknown[]) => unknown;
    const result = method.apply(ops, request.args);
    reply = { id: request.id, ok: true, result };
    // Rows written or deleted: what the checkpointer measures the WAL by.
    if (request.op === 'write' || request.op === 'deleteBefore') Atomics.add(committed, 0, result as number);
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
