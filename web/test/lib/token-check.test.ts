// The sign-in check against the real control plane: in open mode (no tokens configured) a
// request without a token may read; an address where nothing listens is reported as such.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningServer, startServer } from '../../../server/test/helpers/server.js';
import { createTestStore, type TestStore } from '../../../server/test/helpers/stores.js';
import { checkToken } from '../../src/lib/token-check';

describe('token check', () => {
  let store: TestStore;
  let server: RunningServer;
  before(async () => {
    store = await createTestStore('sqlite');
    server = await startServer({ store: store.url });
  });
  after(async () => {
    await server?.close();
    await store?.cleanup();
  });

  it('says when the server runs open (no token configured)', async () => {
    const result = await checkToken(server.apiUrl, undefined);
    assert.equal(result.ok, true);
    assert.equal(result.ok && result.who.open_mode, true);
  });

  it('says the API is unreachable, naming the address', async () => {
    const result = await checkToken('http://127.0.0.1:9', 'any');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'unreachable');
    assert.match(!result.ok ? result.detail : '', /127\.0\.0\.1:9 does not answer/);
  });
});

describe('token check with tokens configured', () => {
  const ADMIN = 'sbx-admin-0123456789abcdef';
  let store: TestStore;
  let server: RunningServer;
  before(async () => {
    store = await createTestStore('sqlite');
    server = await startServer({ store: store.url, adminToken: ADMIN });
  });
  after(async () => {
    await server?.close();
    await store?.cleanup();
  });

  it('refuses a missing or wrong token with the API detail', async () => {
    for (const token of [undefined, 'not-the-token-at-all']) {
      const result = await checkToken(server.apiUrl, token);
      assert.equal(result.ok, false, String(token));
      assert.equal(!result.ok && result.reason, 'rejected');
      assert.ok(!result.ok && result.detail.length > 0);
    }
  });

  it('names the bootstrap admin token and its role', async () => {
    const result = await checkToken(server.apiUrl, ADMIN);
    assert.ok(result.ok);
    assert.deepEqual(
      { kind: result.who.kind, role: result.who.role, open: result.who.open_mode },
      {
        kind: 'bootstrap',
        role: 'admin',
        open: false,
      },
    );
  });
});
