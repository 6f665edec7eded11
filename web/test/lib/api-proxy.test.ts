import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  downstreamHeaders,
  forwardToApi,
  passThroughTarget,
  upstreamHeaders,
  upstreamUrl,
} from '../../src/lib/api-proxy';

describe('API proxy rules', () => {
  it('maps dashboard paths onto the API and refuses ones that leave /api/v1', () => {
    const url = upstreamUrl('http://api:8080', ['services', 'a b/c'], '?x=1');
    assert.ok(url instanceof URL);
    assert.equal(url.toString(), 'http://api:8080/api/v1/services/a%20b%2Fc?x=1');
    for (const segments of [['..', 'metrics'], ['.'], [], ['services', '']]) {
      const refused = upstreamUrl('http://api:8080', segments, '');
      assert.ok(!(refused instanceof URL) && refused.status === 400, segments.join('/'));
    }
  });

  it('forwards the bearer token from the cookie and never the cookies themselves', () => {
    const incoming = new Headers({
      cookie: 'signalbox_token=abc; other=1',
      accept: 'text/event-stream',
      'last-event-id': '7',
    });
    const out = upstreamHeaders(incoming, 'abc');
    assert.equal(out.get('authorization'), 'Bearer abc');
    assert.equal(out.get('cookie'), null);
    assert.equal(out.get('last-event-id'), '7');
    assert.equal(upstreamHeaders(incoming, undefined).get('authorization'), null);
  });

  it('rewrites only GET of a whole compact trace, with the token and Accept-Encoding and no cookie', () => {
    const id = 'ab'.repeat(16);
    const headers = new Headers({
      cookie: 'signalbox_token=t; x=1',
      'accept-encoding': 'gzip, br',
      'user-agent': 'ua',
    });
    const target = passThroughTarget(
      { method: 'GET', url: `http://dash/api/v1/traces/${id}/compact?x=1`, headers },
      { apiUrl: 'http://api:8080/base', token: 't' },
    );
    assert.equal(target?.url.toString(), `http://api:8080/base/api/v1/traces/${id}/compact?x=1`);
    assert.equal(target?.headers.get('authorization'), 'Bearer t');
    assert.equal(target?.headers.get('accept-encoding'), 'gzip, br');
    assert.equal(target?.headers.get('cookie'), null);
    assert.equal(target?.headers.get('user-agent'), null);
    const other = { apiUrl: 'http://api:8080', token: undefined };
    for (const [method, path] of [
      ['GET', `/api/v1/traces/${id}`],
      ['GET', `/api/v1/traces/${id}/logs`],
      ['GET', '/api/v1/traces/nope/compact'],
      ['POST', `/api/v1/traces/${id}/compact`],
    ] as const) {
      assert.equal(passThroughTarget({ method, url: `http://dash${path}`, headers }, other), null, `${method} ${path}`);
    }
  });

  it('marks event streams so compression cannot buffer them', () => {
    const headers = downstreamHeaders(new Headers({ 'content-type': 'text/event-stream', 'content-encoding': 'gzip' }));
    assert.equal(headers.get('cache-control'), 'no-cache, no-transform');
    assert.equal(headers.get('content-encoding'), null);
  });
});

// The forwarding itself, against a real HTTP server standing in for nothing but a socket: it
// records what arrives so the test can see the proxy's output on the wire.
describe('forwardToApi over HTTP', () => {
  let server: Server;
  let apiUrl: string;
  const seen: {
    method: string;
    url: string;
    auth: string | undefined;
    cookie: string | undefined;
    encoding: string | undefined;
    body: string;
  }[] = [];
  const BIG = JSON.stringify({ spans: Array.from({ length: 5000 }, (_, i) => ({ span_id: i.toString(16) })) });
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({
          method: req.method!,
          url: req.url!,
          auth: req.headers.authorization,
          cookie: req.headers.cookie,
          encoding: req.headers['accept-encoding'],
          body,
        });
        if (req.url === '/api/v1/big') {
          // Compressed whatever was asked for, as a server behind another proxy might answer.
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          res.end(gzipSync(BIG));
          return;
        }
        res.writeHead(201, { 'content-type': 'application/json', 'set-cookie': 'x=1' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    apiUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends method, path, query, body and token; passes status and body back', async () => {
    const request = new Request('http://dash/api/v1/things?limit=2', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'signalbox_token=t0k' },
      body: '{"a":1}',
    });
    const response = await forwardToApi(request, ['things'], { apiUrl, token: 't0k' });
    assert.equal(response.status, 201);
    assert.deepEqual(await response.json(), { ok: true });
    assert.equal(response.headers.get('set-cookie'), null);
    assert.deepEqual(seen.at(-1), {
      method: 'POST',
      url: '/api/v1/things?limit=2',
      auth: 'Bearer t0k',
      cookie: undefined,
      encoding: 'identity',
      body: '{"a":1}',
    });
  });

  it('asks for an uncompressed body whatever the browser accepts (Next compresses once)', async () => {
    const request = new Request('http://dash/api/v1/big', { headers: { 'accept-encoding': 'gzip, br, zstd' } });
    const response = await forwardToApi(request, ['big'], { apiUrl, token: undefined });
    assert.equal(seen.at(-1)?.encoding, 'identity');
    // A compressed answer all the same arrives decoded, without its Content-Encoding.
    assert.equal(response.headers.get('content-encoding'), null);
    assert.equal(await response.text(), BIG);
  });

  it('answers 502 problem+json naming the address when the API is down', async () => {
    const response = await forwardToApi(new Request('http://dash/api/v1/things'), ['things'], {
      apiUrl: 'http://127.0.0.1:9',
      token: undefined,
    });
    assert.equal(response.status, 502);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    const problem = (await response.json()) as { detail: string; code: string };
    assert.equal(problem.code, 'SB_WEB_API_UNREACHABLE');
    assert.match(problem.detail, /127\.0\.0\.1:9 does not answer/);
  });
});
