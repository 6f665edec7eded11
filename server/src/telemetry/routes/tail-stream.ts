// The SSE side of the live tail: one hijacked response per tail, fed by LogTailHub. A reader
// that falls behind has records dropped (and is told how many) rather than buffered without
// bound; a comment line every 15 s keeps proxies from closing an idle stream. Open streams are
// ended when the server closes, so shutdown does not wait on them.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Errors } from '../../errors.js';
import type { LogRecord } from '../model.js';
import { type LogFilter, type LogTailHub, TooManyTailsError } from '../tail/log-tail.js';
import { logView } from './views.js';

const HEARTBEAT_MS = 15_000;
/** Bytes buffered for a slow reader before records are dropped. */
const MAX_BUFFERED = 1 << 20;

/** The open tail streams, so the module can end them on shutdown. */
export class TailStreams {
  readonly #open = new Set<() => void>();

  add(end: () => void): () => void {
    this.#open.add(end);
    return () => this.#open.delete(end);
  }

  endAll(): void {
    for (const end of [...this.#open]) end();
  }
}

export function openLogTail(
  request: FastifyRequest,
  reply: FastifyReply,
  tails: LogTailHub,
  streams: TailStreams,
  filter: LogFilter,
): void {
  const raw = reply.raw;
  let dropped = 0;
  const deliver = (logs: LogRecord[]) => {
    if (raw.writableLength > MAX_BUFFERED) {
      dropped += logs.length;
      return;
    }
    let out = '';
    if (dropped > 0) {
      out += `event: dropped\ndata: ${JSON.stringify({ count: dropped })}\n\n`;
      dropped = 0;
    }
    for (const log of logs) out += `event: log\ndata: ${JSON.stringify(logView(log))}\n\n`;
    raw.write(out);
  };
  let subscription: { close(): void };
  try {
    subscription = tails.subscribe(filter, deliver);
  } catch (error) {
    if (error instanceof TooManyTailsError) throw Errors.tooManyRequests(error.message);
    throw error;
  }
  reply.hijack();
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
    // The connection ends with the stream: never reused, so the server's close does not wait on it.
    connection: 'close',
  });
  raw.write(': tail open\nretry: 2000\n\n');
  const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    subscription.close();
    untrack();
    // End the stream, and the connection with it (even if the reader is gone or stalled).
    raw.end();
  };
  const untrack = streams.add(close);
  request.raw.on('close', close);
  raw.on('close', close);
  raw.on('error', close);
}
