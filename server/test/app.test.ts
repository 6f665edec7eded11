import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningServer, spawnServer, startServer } from './helpers/server.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';

for (const kind of STORE_KINDS) {
  describe(`control plane basics [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let server: RunningServer;
    before(async () => {
      store = await createTestStore(kind);
      server = await startServer({ store: store.url });
    });
    after(async () => {
      await server?.close();
      await store?.cleanup();
    });

    it('is live and ready once migrated', async () => {
      const live = await fetch(`${server.apiUrl}/livez`);
      assert.equal(live.status, 200);
      const ready = await fetch(`${server.apiUrl}/readyz`);
      assert.equal(ready.status, 200);
      const body = (await ready.json()) as { status: string; store: string };
      assert.equal(body.status, 'ready');
      assert.equal(body.store, kind);
    });

    it('serves the OpenAPI document and its browser', async () => {
      const doc = (await (await fetch(`${server.apiUrl}/openapi.json`)).json()) as {
        openapi: string;
        info: { title: string };
      };
      assert.equal(doc.openapi, '3.0.3');
      assert.equal(doc.info.title, 'Signalbox API');
      const ui = await fetch(`${server.apiUrl}/docs/`);
      assert.equal(ui.status, 200);
      assert.match(await ui.text(), /swagger/i);
    });

    it('exposes Prometheus metrics including store latency', async () => {
      const text = await (await fetch(`${server.apiUrl}/metrics`)).text();
      assert.match(text, /process_cpu_seconds_total/);
      assert.match(text, /signalbox_store_operation_seconds_bucket\{/);
      assert.match(text, /# TYPE signalbox_checks_total counter/);
      assert.match(text, /# TYPE signalbox_check_duration_seconds histogram/);
    });

    it('answers unknown routes with 404 problem+json', async () => {
      const res = await fetch(`${server.apiUrl}/api/v1/nothing-here`);
      assert.equal(res.status, 404);
      assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      const problem = (await res.json()) as { type: string; status: number; detail: string };
      assert.equal(problem.status, 404);
      assert.equal(problem.type, 'https://signalbox.dev/problems/sb-route-not-found');
      assert.match(problem.detail, /GET \/api\/v1\/nothing-here/);
    });

    it('answers a wrong method with 405 and Allow', async () => {
      const res = await fetch(`${server.apiUrl}/livez`, { method: 'DELETE' });
      assert.equal(res.status, 405);
      assert.match(res.headers.get('allow') ?? '', /GET/);
      const problem = (await res.json()) as { code: string };
      assert.equal(problem.code, 'SB_METHOD_NOT_ALLOWED');
    });
  });
}

describe('process lifecycle', () => {
  it('starts from the binary, then drains and exits 0 on SIGTERM', async () => {
    const store = await createTestStore('sqlite');
    const proc = await spawnServer(['--store', store.url]);
    try {
      const ready = await fetch(`${proc.apiUrl}/readyz`);
      assert.equal(ready.status, 200);
      const code = await proc.stop();
      assert.equal(code, 0);
      assert.ok(proc.output.some((line) => line.includes('shutting down')));
      assert.ok(proc.output.some((line) => line.includes('"msg":"stopped"')));
    } finally {
      await proc.kill();
      await store.cleanup();
    }
  });
});
