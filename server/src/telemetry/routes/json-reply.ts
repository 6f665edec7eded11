// Big JSON answers (a whole trace) are serialized with JSON.stringify and compressed here, once.
// The schema serializer (fast-json-stringify) walks each span's open attribute records key by
// key and takes several times longer than JSON.stringify on a 10,000-span trace; compressing
// where the JSON is made lets the dashboard's proxy pass the bytes through as they are. The
// route schemas still describe the answer (OpenAPI, generated client types).
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const gzipAsync = promisify(gzip);

/** Below this, compressing costs more than it saves. */
const COMPRESS_FROM_CHARS = 16 * 1024; // 16 KiB
/**
 * The fastest level: on trace JSON ~11x for ~2 ms of a core per MB, a third of the default
 * level's CPU (14x) for a fifth more bytes; nginx's default too. A busy server answers sooner.
 */
const GZIP_LEVEL = 1;

/** True when the Accept-Encoding header takes gzip (by name or `*`, with a q above 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let gzipQ: number | undefined;
  let anyQ: number | undefined;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (name === 'gzip' || name === 'x-gzip') gzipQ = q;
    else if (name === '*') anyQ = q;
  }
  const q = gzipQ ?? anyQ ?? 0;
  return Number.isFinite(q) && q > 0;
}

/** Sends `value` as JSON, gzip-compressed when big and the client takes gzip. */
export async function sendJson(request: FastifyRequest, reply: FastifyReply, value: unknown): Promise<FastifyReply> {
  const json = JSON.stringify(value);
  reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  if (json.length < COMPRESS_FROM_CHARS || !acceptsGzip(request.headers['accept-encoding'])) return reply.send(json);
  const body = await gzipAsync(json, { level: GZIP_LEVEL });
  return reply.header('content-encoding', 'gzip').send(body);
}
