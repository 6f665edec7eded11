// The SQLite telemetry checkpointer thread: copies the WAL's committed pages into the database
// file on a connection of its own, beside the writer thread rather than inside its commits. A
// checkpoint waits on the disk (it syncs the WAL, then the file); on the writer's thread every
// request of the commit that crossed the mark waited with it, and the writer sat idle while the
// decode thread had work for it (ingest ran ~12 % faster with no checkpoint in its way).
//
// The writer counts the rows it commits into a shared counter; this thread looks every
// POLL_MS and checkpoints once enough rows have come (or some rows and a while). PASSIVE: it
// never blocks the writer or a reader; what a reader still needs stays in the WAL for the next
// pass. Once a pass has copied everything, the writer's next transaction starts the WAL from its
// beginning again. The writer keeps its own automatic checkpoint at a higher mark, so the WAL
// stays bounded if this thread falls behind or stops.
import { parentPort, workerData } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';

export interface CheckpointerData {
  file: string;
  /** Int32: rows the writer has committed (wraps; only differences are read). */
  committedRows: SharedArrayBuffer;
}

/** How often the counter is looked at. */
const POLL_MS = 50;
/** Rows (1–2 KiB of WAL each) that make a checkpoint worth its two syncs. */
const ROWS_PER_CHECKPOINT = 8_192;
/** Fewer rows are checkpointed once they are this old, so the WAL does not linger. */
const MAX_DELAY_MS = 2_000;

const { file, committedRows } = workerData as CheckpointerData;
const counter = new Int32Array(committedRows);
const db = new Sqlite(file);
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = NORMAL');

// From 0, where the writer's count starts: rows it wrote while this thread was starting count.
let seen = 0;
let lastMs = Date.now();
/** The last pass left frames a reader still needed: the next waits MAX_DELAY_MS. */
let partial = false;
const timer = setInterval(() => {
  const now = Atomics.load(counter, 0);
  const rows = (now - seen) | 0;
  const waitMs = rows >= ROWS_PER_CHECKPOINT && !partial ? 0 : MAX_DELAY_MS;
  if (rows === 0 || Date.now() - lastMs < waitMs) return;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    lastMs = Date.now();
    partial = result !== undefined && result.checkpointed < result.log;
    // What is left stays counted, so it is copied on a later pass even if nothing more is written.
    if (!partial) seen = now;
  } catch {
    // Busy (the writer's own checkpoint runs) or a transient I/O error: the next look tries again.
  }
}, POLL_MS);

parentPort?.on('message', (message: 'close') => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort?.close();
});

/** Tells the writer thread this one has loaded (see the writer's `warm`). */
parentPort?.postMessage('ready');
