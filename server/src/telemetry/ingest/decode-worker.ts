// A decode thread (see decode-thread.ts): runs SpanEncoder on the requests it is sent and
// answers each, the serialized rows transferred rather than copied.
import { parentPort, workerData } from 'node:worker_threads';
import { UndecodablePayload } from '../otlp/rejections.js';
import type { OtlpEncoding } from '../otlp/responses.js';
import { type EncodedRequest, type EncodeOptions, SpanEncoder } from './span-encoding.js';

export interface DecodeRequest {
  id: number;
  encoding: OtlpEncoding;
  body: Uint8Array;
}

export type DecodeReply =
  | ({ id: number; ok: true; body: Uint8Array } & EncodedRequest)
  | { id: number; ok: false; undecodable: boolean; message: string };

/** Sent once, when the thread has loaded and can decode. */
export interface DecodeThreadReady {
  ready: true;
}

const encoder = new SpanEncoder(workerData as EncodeOptions);

parentPort?.on('message', (request: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    const body = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
    // The body goes back with the answer (moved, not copied): the receiver journals it.
    reply = { id: request.id, ok: true, body: request.body, ...encoder.encode(body, request.encoding) };
  } catch (error) {
    const undecodable = error instanceof UndecodablePayload;
    reply = { id: request.id, ok: false, undecodable, message: (error as Error).message };
  }
  parentPort?.postMessage(reply, reply.ok ? [reply.rows.buffer as ArrayBuffer, reply.body.buffer as ArrayBuffer] : []);
});

parentPort?.postMessage({ ready: true } satisfies DecodeThreadReady);
