import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Downstream, DownstreamError } from '../src/http/downstream.js';

describe('Downstream', () => {
  let server: Server;
  let base: string;
  const hits = new Map<string, number>();

  before(async () => {
    server = createServer((request, response) => {
      const path = request.url ?? '';
      const n = (hits.get(path) ?? 0) + 1;
      hits.set(path, n);
      if (path === '/flaky' && n <= 2) {
        response.writeHead(503).end();
        return;
      }
      if (path === '/slow') return; // never answers
      if (path === '/teapot') {
        response.writeHead(418, { 'content-type': 'application/json' }).end('{"short":"stout"}');
        return;
      }
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ method: request.method, body: body ? JSON.parse(body) : null, n }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('retries an idempotent call through 503s', async () => {
    const client = new Downstream({ name: 'peer', baseUrl: base, timeoutMs: 1000, retries: 2, backoffMs: 5 });
    const response = await client.call('GET', '/flaky', { idempotent: true });
    assert.equal(response.status, 200);
    assert.equal(response.attempts, 3);
  });

  test('does not retry a call that is not idempotent', async () => {
    hits.delete('/flaky');
    const client = new Downstream({ name: 'peer', baseUrl: base, timeoutMs: 1000, retries: 2, backoffMs: 5 });
    const response = await client.call('POST', '/flaky', { body: { a: 1 } });
    assert.equal(response.status, 503);
    assert.equal(response.attempts, 1);
  });

  test('passes other statuses and JSON bodies through', async () => {
    const client = new Downstream({ name: 'peer', baseUrl: base, timeoutMs: 1000, retries: 2 });
    const teapot = await client.call('GET', '/teapot', { idempotent: true });
    assert.equal(teapot.status, 418);
    assert.deepEqual(teapot.body, { short: 'stout' });
    const echo = await client.call('POST', '/echo', { body: { x: 1 } });
    assert.deepEqual(echo.body, { method: 'POST', body: { x: 1 }, n: 1 });
  });

  test('times out each attempt and gives up within the deadline', async () => {
    const client = new Downstream({
      name: 'peer',
      baseUrl: base,
      timeoutMs: 100,
      retries: 1,
      backoffMs: 10,
      maxBackoffMs: 10,
    });
    const started = performance.now();
    const error = await client.call('GET', '/slow', { idempotent: true }).catch((e: unknown) => e);
    const took = performance.now() - started;
    assert.ok(error instanceof DownstreamError);
    assert.equal(error.failure, 'timeout');
    assert.equal(error.attempts, 2);
    assert.equal(error.dependency, 'peer');
    assert.ok(took >= 190 && took < 1000, `took ${took} ms`);
  });

  test('a peer that is not listening is unavailable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const client = new Downstream({
      name: 'gone',
      baseUrl: `http://127.0.0.1:${port}`,
      timeoutMs: 500,
      retries: 1,
      backoffMs: 5,
    });
    const error = await client.call('GET', '/', { idempotent: true }).catch((e: unknown) => e);
    assert.ok(error instanceof DownstreamError);
    assert.equal(error.failure, 'unavailable');
    assert.equal(error.attempts, 2);
    assert.match(error.message, /gone is unavailable/);
  });
});
