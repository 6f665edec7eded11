// Server-Sent Events over a Fastify reply: a PassThrough the reply pipes, so hooks and metrics
// still see the request. Streams register with a hub that ends them all before the server
// closes (an open stream would otherwise keep close() waiting forever).
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** Every this often a comment line keeps proxies from closing an idle stream. */
export const KEEPALIVE_MS = 15_000;

export class SseStream {
  private readonly body = new PassThrough();
  private readonly keepalive: NodeJS.Timeout;
  private readonly closeHandlers: Array<() => void> = [];
  private ended = false;

  constructor(
    reply: FastifyReply,
    private readonly hub: SseHub,
  ) {
    reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache, no-transform')
      .header('x-accel-buffering', 'no');
    // The first bytes make Node send the headers, so the client sees the stream open at once.
    this.body.write('retry: 3000\n: stream open\n\n');
    this.keepalive = setInterval(() => this.body.write(': keepalive\n\n'), KEEPALIVE_MS);
    this.keepalive.unref();
    reply.raw.on('close', () => this.closed());
    hub.add(this);
  }

  get stream(): PassThrough {
    return this.body;
  }

  send(event: string, data: unknown): void {
    if (this.ended) return;
    this.body.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Runs when the stream ends for any reason (client gone, end(), server closing). */
  onClose(handler: () => void): void {
    if (this.ended) handler();
    else this.closeHandlers.push(handler);
  }

  end(): void {
    if (this.ended) return;
    this.body.end();
    this.closed();
  }

  private closed(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.keepalive);
    this.hub.remove(this);
    if (!this.body.writableEnded) this.body.end();
    for (const handler of this.closeHandlers.splice(0)) handler();
  }
}

export class SseHub {
  private readonly streams = new Set<SseStream>();

  open(reply: FastifyReply): SseStream {
    return new SseStream(reply, this);
  }

  add(stream: SseStream): void {
    this.streams.add(stream);
  }

  remove(stream: SseStream): void {
    this.streams.delete(stream);
  }

  get size(): number {
    return this.streams.size;
  }

  /** Ends every open stream with a last event saying why. */
  closeAll(reason: string): void {
    for (const stream of [...this.streams]) {
      stream.send('end', { reason });
      stream.end();
    }
  }
}
