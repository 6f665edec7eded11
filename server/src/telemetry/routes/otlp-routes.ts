// OTLP/HTTP receiver: POST /v1/traces and /v1/logs as the OTLP specification describes them.
// Protobuf or JSON bodies, optionally gzip-compressed; 200 with an Export…ServiceResponse (and
// partial_success when some records were refused) once the accepted records are committed, or
// for traces on a SQLite file store, journaled (see journaled-ingest.ts);
// errors with a google.rpc.Status body in the request's encoding: 400 undecodable, 401 wrong
// ingest token, 413 too large, 415 other content types or encodings, 429 with Retry-After
// when the write queue is full, 503 with Retry-After when the store fails or we shut down.
import { createHash, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DecoderUnavailableError } from '../ingest/decode-thread.js';
import { QueueClosedError, QueueFullError } from '../ingest/group-commit-queue.js';
import type { IngestService } from '../ingest/ingest-service.js';
import type { JournaledSpanIngest } from '../ingest/journaled-ingest.js';
import { type EncodedSpanBatch, isEncoded, type SpanDecoder } from '../ingest/span-decoding.js';
import { JournalError } from '../ingest/trace-journal.js';
import type { LogBatch, SpanBatch } from '../otlp/batches.js';
import { decodeLogsJson } from '../otlp/json-decode.js';
import type { IngestLimits } from '../otlp/limits.js';
import { decodeLogs } from '../otlp/protobuf-decode.js';
import { UndecodablePayload } from '../otlp/rejections.js';
import {
  contentTypeOf,
  exportResponse,
  JSON_TYPE,
  type OtlpEncoding,
  type OtlpSignal,
  PROTOBUF,
  statusBody,
} from '../otlp/responses.js';

const gunzipAsync = promisify(gunzip);

/** Seconds a refused sender should wait before retrying. */
const RETRY_AFTER_SECONDS = 1;

export class OtlpHttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'OtlpHttpError';
  }
}

export interface OtlpRouteOptions {
  ingest: IngestService;
  /** Decodes trace requests (on decode threads, or inline). */
  spanDecoder: SpanDecoder;
  /** Trace requests are answered once journaled, stored behind the answer (SQLite file stores). */
  journaled?: JournaledSpanIngest | null;
  limits: IngestLimits;
  /** Largest body, compressed and decompressed. */
  bodyLimit: number;
  ingestToken: string | undefined;
}

function encodingOf(request: FastifyRequest): OtlpEncoding {
  const type = (request.headers['content-type'] ?? '').toLowerCase();
  return type.includes('protobuf') ? 'protobuf' : 'json';
}

function send(reply: FastifyReply, status: number, encoding: OtlpEncoding, body: Uint8Array | string): FastifyReply {
  const payload = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return reply.code(status).type(contentTypeOf(encoding)).send(payload);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

async function decompress(body: Buffer, encodingHeader: string | undefined, limit: number): Promise<Buffer> {
  const encoding = (encodingHeader ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  if (encoding !== 'gzip') {
    throw new OtlpHttpError(415, `Content-Encoding "${encoding}" is not supported; send gzip or no encoding`);
  }
  try {
    return await gunzipAsync(body, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new OtlpHttpError(413, `the decompressed body is larger than the limit of ${limit} bytes`);
    }
    throw new OtlpHttpError(400, `the gzip body cannot be decompressed: ${(error as Error).message}`);
  }
}

export function otlpRoutes(options: OtlpRouteOptions): FastifyPluginAsync {
  const { ingest, spanDecoder, limits, bodyLimit } = options;
  const journaled = options.journaled ?? null;
  const expectedToken = options.ingestToken ? digest(`Bearer ${options.ingestToken}`) : null;

  return async (app) => {
    // The receiver reads raw bodies itself: protobuf and JSON alike, so that decoding errors,
    // gzip and size limits are all answered the OTLP way.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      [PROTOBUF, 'application/protobuf', JSON_TYPE],
      { parseAs: 'buffer', bodyLimit },
      (_request, body, done) => done(null, body),
    );

    app.setErrorHandler((error: FastifyError | OtlpHttpError, request, reply) => {
      const encoding = encodingOf(request);
      let status: number;
      let message = error.message;
      if (error instanceof OtlpHttpError) {
        status = error.statusCode;
        if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
        if (status === 401) reply.header('www-authenticate', 'Bearer realm="signalbox-otlp"');
      } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        status = 413;
        message = `the body is larger than the limit of ${bodyLimit} bytes`;
      } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        status = 415;
        message = `Content-Type must be ${PROTOBUF} or ${JSON_TYPE}`;
      } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        status = error.statusCode;
      } else {
        status = 500;
        message = 'an unexpected error occurred; the server log has the details';
        request.log.error({ err: error }, 'OTLP request failed');
      }
      if (status < 500) request.log.debug({ err: error }, 'OTLP request refused');
      return send(reply, status, encoding, statusBody(encoding, status, message));
    });

    app.addHook('onRequest', async (request) => {
      if (expectedToken) {
        const given = digest(request.headers.authorization ?? '');
        if (!timingSafeEqual(given, expectedToken)) {
          throw new OtlpHttpError(401, 'an ingest token is required: send Authorization: Bearer <token>');
        }
      }
      // Refuse before reading the body: under pressure, reading it would only cost more memory.
      if (ingest.saturated || spanDecoder.saturated || journaled?.saturated) {
        throw new OtlpHttpError(429, 'the write queue is full; retry later', RETRY_AFTER_SECONDS);
      }
    });

    const handle = (signal: OtlpSignal) => async (request: FastifyRequest, reply: FastifyReply) => {
      const encoding = encodingOf(request);
      if (!Buffer.isBuffer(request.body)) {
        throw new OtlpHttpError(415, `Content-Type must be ${PROTOBUF} or ${JSON_TYPE}`);
      }
      const body = await decompress(request.body, request.headers['content-encoding'], bodyLimit);
      const noun = signal === 'traces' ? 'spans' : 'log records';
      let batch: SpanBatch | EncodedSpanBatch | LogBatch;
      try {
        if (signal === 'traces') {
          batch = await spanDecoder.decode(body, encoding);
        } else {
          batch = encoding === 'protobuf' ? decodeLogs(body, limits) : decodeLogsJson(body, limits);
        }
      } catch (error) {
        if (error instanceof UndecodablePayload) throw new OtlpHttpError(400, error.message);
        if (error instanceof DecoderUnavailableError) {
          throw new OtlpHttpError(503, `${error.message}; retry later`, RETRY_AFTER_SECONDS);
        }
        throw error;
      }
      const counter = signal === 'traces' ? 'spans' : 'logs';
      const rejected = batch.rejections.count;
      const message = batch.rejections.message(noun);
      ingest.countRefused(counter, 'rejected', rejected);
      const accepted = batch.received - rejected;
      if (batch.received > 0 && accepted === 0) {
        // Nothing usable: not worth a retry, and a 400 makes the sender's log say so.
        throw new OtlpHttpError(400, message);
      }
      try {
        if ('spans' in batch) {
          if (journaled && isEncoded(batch) && batch.body) journaled.accept(batch, batch.body, encoding);
          else await ingest.storeSpans(batch);
        } else await ingest.storeLogs(batch);
      } catch (error) {
        ingest.countRefused(counter, 'refused', accepted);
        if (error instanceof QueueFullError) {
          throw new OtlpHttpError(429, `${error.message}; retry later`, RETRY_AFTER_SECONDS);
        }
        if (error instanceof QueueClosedError) throw new OtlpHttpError(503, error.message, RETRY_AFTER_SECONDS);
        if (error instanceof JournalError)
          throw new OtlpHttpError(503, `${error.message}; retry later`, RETRY_AFTER_SECONDS);
        // IngestService logged the store's error with the batch's size.
        throw new OtlpHttpError(503, 'the store could not commit the data; retry later', RETRY_AFTER_SECONDS);
      }
      return send(reply, 200, encoding, exportResponse(signal, encoding, rejected, message));
    };

    app.post('/v1/traces', handle('traces'));
    app.post('/v1/logs', handle('logs'));
  };
}
