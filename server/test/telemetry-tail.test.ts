// Live tail of logs over Server-Sent Events, on both stores: a tail receives the committed
// records that match its filters (and no others), the number of open tails is capped, and
// closing the server ends open tails instead of waiting on them.
import assert from 'node:assert/strict';
import { type ClientRequest, get, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createTelemetryModule, type TelemetryModule } from '../src/telemetry/telemetry-module.js';
import { type RunningServer, startServer } from './helpers/server.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';
import { type ApiLog, hexId, postOtlp, specLog, specLogs, toProtobuf } from './telemetry-fixtures.js';

interface TailEvent {
  event: string;
  data: unknown;
}

/**
 * An SSE reader on a connection of its own (node:http, no pooling: closing it closes the
 * socket), collecting events.
 */
async function openTail(url: string) {
  const events: TailEvent[] = [];
  let ended = false;
  let request!: ClientRequest;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    request = get(url, { agent: false, headers: { accept: 'text/event-stream' } }, resolve);
    request.on('error', reject);
  });
  const done = (async () => {
    let buffered = '';
    try {
      for await (const chunk of response) {
        buffered += (chunk as Buffer).toString();
        let cut = buffered.indexOf('\n\n');
        while (cut !== -1) {
          const block = buffered.slice(0, cut);
          buffered = buffered.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
          cut = buffered.indexOf('\n\n');
        }
      }
    } catch {
      // closed by us
    }
    ended = true;
  })();
  return {
    status: response.statusCode,
    contentType: response.headers['content-type'] ?? '',
    events,
    get ended() {
      return ended;
    },
    done,
    close: () => request.destroy(),
    async waitFor(predicate: (events: TailEvent[]) => boolean, timeoutMs = 5000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`tail: condition not met; got ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

for (const kind of STORE_KINDS) {
  describe(`live tail of logs [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let server: RunningServer;
    before(async () => {
      store = await createTestStore(kind);
      server = await startServer(
        { store: store.url },
        { modules: (context) => [createTelemetryModule(context, { maxLogTails: 2 })] },
      );
    });
    after(async () => {
      await server?.close();
      await store?.cleanup();
    });

    it('streams the committed records that match its filters, and only those', async () => {
      const traceId = hexId(16);
      const tail = await openTail(
        `${server.apiUrl}/api/v1/logs/tail?service=tailed&min_severity=warn&contains=PAYMENT&attribute=region=eu`,
      );
      assert.equal(tail.status, 200);
      assert.match(tail.contentType, /^text\/event-stream/);
      const eu = [{ key: 'region', value: { stringValue: 'eu' } }];
      await postOtlp(
        server.otlpUrl,
        'logs',
        specLogs(
          [
            specLog({ severityNumber: 17, body: 'payment failed', attributes: eu, traceId, spanId: hexId(8) }),
            specLog({ severityNumber: 9, body: 'payment ok (info: below warn)', attributes: eu }),
            specLog({ severityNumber: 17, body: 'shipping failed', attributes: eu }),
            specLog({
              severityNumber: 17,
              body: 'payment failed in us',
              attributes: [{ key: 'region', value: { stringValue: 'us' } }],
            }),
          ],
          'tailed',
        ),
      );
      await postOtlp(
        server.otlpUrl,
        'logs',
        specLogs([specLog({ severityNumber: 21, body: 'payment other service', attributes: eu })], 'other'),
      );
      // The last one matches; records arrive in commit order, so once it is here nothing else is coming.
      await postOtlp(
        server.otlpUrl,
        'logs',
        toProtobuf(
          'logs',
          specLogs([specLog({ severityNumber: 21, body: 'PAYMENT sentinel', attributes: eu })], 'tailed'),
        ),
      );
      await tail.waitFor((events) => events.some((e) => (e.data as ApiLog).body === 'PAYMENT sentinel'));
      assert.deepEqual(
        tail.events.map((e) => [e.event, (e.data as ApiLog).body]),
        [
          ['log', 'payment failed'],
          ['log', 'PAYMENT sentinel'],
        ],
      );
      const first = tail.events[0]?.data as ApiLog;
      assert.equal(first.trace_id, traceId);
      assert.equal(first.service, 'tailed');
      assert.equal(first.severity_number, 17);
      assert.deepEqual(first.attributes, { region: 'eu' });
      tail.close();
      await tail.done;
    });

    it('streams the records of a pattern: anchored, any case, each <*> any text', async () => {
      const tail = await openTail(
        `${server.apiUrl}/api/v1/logs/tail?service=patterned&pattern=${encodeURIComponent('order <*> failed')}`,
      );
      assert.equal(tail.status, 200);
      const bodies = [
        'order 7 failed',
        'order failed',
        'reorder 3 failed',
        'ORDER 12 FAILED twice',
        'order 99 failed: done',
      ];
      await postOtlp(
        server.otlpUrl,
        'logs',
        specLogs(
          bodies.map((body) => specLog({ body })),
          'patterned',
        ),
      );
      await tail.waitFor((events) => events.some((e) => (e.data as ApiLog).body === 'order 99 failed: done'));
      assert.deepEqual(
        tail.events.map((e) => (e.data as ApiLog).body),
        ['order 7 failed', 'ORDER 12 FAILED twice', 'order 99 failed: done'],
      );
      tail.close();
      await tail.done;
    });

    it('caps the open tails and frees a slot when one closes', async () => {
      // The previous test's tail may still be closing on the server side.
      const tails = (server.app.modules.get('telemetry') as TelemetryModule).tails;
      const deadline = Date.now() + 5000;
      while (tails.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const a = await openTail(`${server.apiUrl}/api/v1/logs/tail`);
      const b = await openTail(`${server.apiUrl}/api/v1/logs/tail?service=x`);
      assert.equal(a.status, 200);
      assert.equal(b.status, 200);
      const refused = await fetch(`${server.apiUrl}/api/v1/logs/tail`);
      assert.equal(refused.status, 429);
      assert.match(((await refused.json()) as { detail: string }).detail, /2 live tails are open/);
      b.close();
      await b.done;
      let c: Awaited<ReturnType<typeof openTail>> | undefined;
      const freed = Date.now() + 5000;
      while (c?.status !== 200) {
        if (Date.now() > freed) throw new Error('the slot was not freed');
        await new Promise((r) => setTimeout(r, 20));
        c = await openTail(`${server.apiUrl}/api/v1/logs/tail`);
      }
      a.close();
      c.close();
      await Promise.all([a.done, c.done]);
    });

    it('refuses bad filters with 400', async () => {
      assert.equal((await fetch(`${server.apiUrl}/api/v1/logs/tail?min_severity=loud`)).status, 400);
      assert.equal((await fetch(`${server.apiUrl}/api/v1/logs/tail?trace_id=xyz`)).status, 400);
    });
  });
}

describe('live tail at shutdown', () => {
  it('ends open tails when the server closes, without waiting for them', async () => {
    const store = await createTestStore('sqlite');
    const server = await startServer({ store: store.url });
    try {
      const tail = await openTail(`${server.apiUrl}/api/v1/logs/tail`);
      assert.equal(tail.status, 200);
      const started = Date.now();
      await server.close();
      await tail.done;
      assert.ok(tail.ended);
      assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
    } finally {
      await server.close();
      await store.cleanup();
    }
  });
});
