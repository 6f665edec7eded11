// The ingest journal: trace requests as received (decompressed), appended to a file before the
// receiver answers 200, so the answer does not wait for the spans to be indexed. A request's
// record stays until the commit that stored its spans has succeeded; a server that died before
// that (kill -9, a crash, the machine's power if the OS had flushed the file) stores the records
// again at its next start. Storing is idempotent for spans (the SQLite writer drops a span whose
// trace already holds its id), so records that were stored just before a crash are harmless.
//
// Durability is the SQLite store's own (WAL, synchronous = NORMAL): written to the OS before the
// answer, which survives the process dying but not the OS; no fsync per request.
//
// Files: segments named by the sequence number of their first record, each a run of records:
//   magic "SBJ1" | body length u32 | crc32(body) u32 | encoding u8 | sequence u48 | pad u8 | body
// (little-endian). A segment is deleted once every record in it is stored and a newer one is being
// written. A record cut short (the process died inside a write) or damaged ends its segment.
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  unlinkSync,
  writevSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { OtlpEncoding } from '../otlp/responses.js';

const MAGIC = 0x314a4253; // "SBJ1" read as u32 little-endian
const HEADER_BYTES = 20;
const SEGMENT_PATTERN = /^traces-(\d{15})\.journal$/;
const ENCODINGS: readonly OtlpEncoding[] = ['protobuf', 'json'];

export interface JournalRecord {
  seq: number;
  encoding: OtlpEncoding;
  body: Buffer;
}

export interface TraceJournalOptions {
  /** A record that would take a segment past this size starts a new one. */
  segmentBytes?: number;
}

interface Segment {
  path: string;
  /** Records in it not yet stored. */
  unstored: number;
}

interface Unstored {
  segment: Segment;
  offset: number;
  length: number;
  items: number;
}

/** A caller of caughtUp waiting for the records up to `seq`. */
interface Waiter {
  seq: number;
  resolve(): void;
}

export class JournalError extends Error {
  override name = 'JournalError';
}

function segmentName(firstSeq: number): string {
  return `traces-${String(firstSeq).padStart(15, '0')}.journal`;
}

/** Reads the records of one segment file, stopping at the first one cut short or damaged. */
function* readSegment(path: string): Generator<JournalRecord> {
  const bytes = readFileSync(path);
  let at = 0;
  while (at + HEADER_BYTES <= bytes.length) {
    if (bytes.readUInt32LE(at) !== MAGIC) return;
    const length = bytes.readUInt32LE(at + 4);
    const end = at + HEADER_BYTES + length;
    if (end > bytes.length) return;
    const body = bytes.subarray(at + HEADER_BYTES, end);
    if (crc32(body) !== bytes.readUInt32LE(at + 8)) return;
    const encoding = ENCODINGS[bytes.readUInt8(at + 12)];
    if (!encoding) return;
    yield { seq: bytes.readUIntLE(at + 13, 6), encoding, body };
    at = end;
  }
}

export class TraceJournal {
  readonly #dir: string;
  readonly #segmentBytes: number;
  /** Segments an earlier run left, oldest first: their records may not be stored. */
  readonly #recovered: string[];
  #current: Segment | null = null;
  #fd: number | null = null;
  #size = 0;
  #nextSeq: number;
  /** Records not yet stored, in sequence order (a Map keeps insertion order). */
  readonly #unstored = new Map<number, Unstored>();
  #unstoredItems = 0;
  #waiters: Waiter[] = [];

  constructor(dir: string, options: TraceJournalOptions = {}) {
    this.#dir = dir;
    this.#segmentBytes = options.segmentBytes ?? 32 * 1024 * 1024;
    mkdirSync(dir, { recursive: true });
    const found = readdirSync(dir)
      .map((name) => SEGMENT_PATTERN.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .sort((a, b) => Number(a[1]) - Number(b[1]));
    this.#recovered = found.map((m) => join(dir, m[0]));
    // Numbers only grow, within a segment and from one segment to the next: the newest segment
    // holds the highest (replay reads them all later).
    const newest = this.#recovered.at(-1);
    let last = newest ? Number(found.at(-1)?.[1]) : 0;
    if (newest) for (const record of readSegment(newest)) last = Math.max(last, record.seq);
    this.#nextSeq = last + 1;
  }

  /** Spans (or other items) appended and not yet stored. */
  get unstoredItems(): number {
    return this.#unstoredItems;
  }

  /** The records an earlier run left (possibly stored already), oldest first. */
  *recovered(): Generator<JournalRecord> {
    for (const path of this.#recovered) yield* readSegment(path);
  }

  /** Deletes the earlier run's segments, once their records have been stored again. */
  dropRecovered(): void {
    for (const path of this.#recovered.splice(0)) unlinkSync(path);
  }

  /** Appends a request's body; returns its sequence number. Throws JournalError if it cannot be written. */
  append(body: Uint8Array, encoding: OtlpEncoding, items: number): number {
    const seq = this.#nextSeq;
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt32LE(body.byteLength, 4);
    header.writeUInt32LE(crc32(body), 8);
    header.writeUInt8(ENCODINGS.indexOf(encoding), 12);
    header.writeUIntLE(seq, 13, 6);
    const total = HEADER_BYTES + body.byteLength;
    try {
      if (this.#fd === null || (this.#size > 0 && this.#size + total > this.#segmentBytes)) this.#rotate(seq);
      const fd = this.#fd as number;
      const offset = this.#size;
      let written = writevSync(fd, [header, body]);
      // A short write (rare, e.g. a signal): finish it, or the record is cut short.
      while (written < total) {
        const rest = Buffer.concat([header, body]).subarray(written);
        written += writevSync(fd, [rest]);
      }
      this.#size += total;
      const segment = this.#current as Segment;
      segment.unstored++;
      this.#unstored.set(seq, { segment, offset: offset + HEADER_BYTES, length: body.byteLength, items });
      this.#unstoredItems += items;
      this.#nextSeq++;
      return seq;
    } catch (error) {
      // Whatever part of the record reached the file is cut short and ends the segment at
      // recovery; the next record goes into a new one.
      this.#closeCurrent();
      throw new JournalError(`the ingest journal could not be written: ${(error as Error).message}`);
    }
  }

  #rotate(firstSeq: number): void {
    this.#closeCurrent();
    const path = join(this.#dir, segmentName(firstSeq));
    this.#fd = openSync(path, 'a');
    this.#size = fstatSync(this.#fd).size;
    this.#current = { path, unstored: 0 };
  }

  #closeCurrent(): void {
    const segment = this.#current;
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
    this.#current = null;
    if (segment && segment.unstored === 0) unlinkSync(segment.path);
  }

  /** Reads back a record not yet stored (to try storing it again); null if it is stored. */
  read(seq: number): Buffer | null {
    const entry = this.#unstored.get(seq);
    if (!entry) return null;
    const fd = openSync(entry.segment.path, 'r');
    try {
      const body = Buffer.allocUnsafe(entry.length);
      readSync(fd, body, 0, entry.length, entry.offset);
      return body;
    } finally {
      closeSync(fd);
    }
  }

  /** Marks a record stored; a segment whose records are all stored and that is no longer written goes. */
  stored(seq: number): void {
    const entry = this.#unstored.get(seq);
    if (!entry) return;
    this.#unstored.delete(seq);
    this.#unstoredItems -= entry.items;
    entry.segment.unstored--;
    if (entry.segment.unstored === 0 && entry.segment !== this.#current) unlinkSync(entry.segment.path);
    this.#wake();
  }

  /** Resolves once every record appended so far is stored (or after `timeoutMs`). */
  caughtUp(timeoutMs: number): Promise<void> {
    const last = this.#nextSeq - 1;
    if (this.#lowestUnstored() > last) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter = { seq: last, resolve };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve();
      }, timeoutMs);
      waiter.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.push(waiter);
    });
  }

  #lowestUnstored(): number {
    const first = this.#unstored.keys().next();
    return first.done ? Number.POSITIVE_INFINITY : first.value;
  }

  #wake(): void {
    if (this.#waiters.length === 0) return;
    const lowest = this.#lowestUnstored();
    const still: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (waiter.seq < lowest) waiter.resolve();
      else still.push(waiter);
    }
    this.#waiters = still;
  }

  /** Closes the file; a segment holding records not yet stored stays for the next start. */
  close(): void {
    this.#closeCurrent();
    for (const waiter of this.#waiters.splice(0)) waiter.resolve();
  }
}
