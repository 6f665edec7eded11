// Starting without tokens: open mode on loopback only, refusal beyond it (unless --insecure-open),
// and the `signalbox-server token` CLI that makes the first token straight in the store — on
// SQLite and PostgreSQL in process, and once through the real binary.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { buildApp, type SignalboxApp } from '../src/app.js';
import { runCli } from '../src/cli/index.js';
import { defaultSettings, type Settings } from '../src/settings.js';
import { type AuditPageBody, authClient, type TokenBody, type WhoAmI } from './fixtures/auth-client.js';
import { spawnServer } from './helpers/server.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';

const BIN = fileURLToPath(new URL('../bin/signalbox-server.mjs', import.meta.url));

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { env: {}, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** Builds and starts an app; on a failed start it is closed and the error rethrown. */
async function start(overrides: Partial<Settings>): Promise<{ app: SignalboxApp; apiUrl: string }> {
  const settings = defaultSettings({ apiPort: 0, otlpPort: 0, logLevel: 'silent', ...overrides });
  const app = await buildApp(settings, { logger: pino({ level: 'silent' }) });
  try {
    const { apiUrl } = await app.start();
    // A wildcard bind answers on loopback too.
    return { app, apiUrl: apiUrl.replace('0.0.0.0', '127.0.0.1') };
  } catch (error) {
    await app.close();
    throw error;
  }
}

for (const kind of STORE_KINDS) {
  describe(`startup without tokens and the token CLI [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;

    before(async () => {
      store = await createTestStore(kind);
    });
    after(async () => {
      await store?.cleanup();
    });

    it('refuses to serve beyond loopback without a token, naming SIGNALBOX_ADMIN_TOKEN', async () => {
      await assert.rejects(start({ store: store.url, host: '0.0.0.0' }), (error: Error) => {
        assert.match(error.message, /binds to 0\.0\.0\.0, beyond loopback, and no API token exists/);
        assert.match(error.message, /SIGNALBOX_ADMIN_TOKEN/);
        assert.match(error.message, /--insecure-open/);
        return true;
      });
    });

    it('serves beyond loopback without tokens only with --insecure-open', async () => {
      const { app, apiUrl } = await start({ store: store.url, host: '0.0.0.0', insecureOpen: true });
      try {
        const me = await authClient(apiUrl)<WhoAmI>('GET', '/whoami');
        assert.equal(me.status, 200);
        assert.equal(me.body.kind, 'open');
      } finally {
        await app.close();
      }
    });

    it('creates the first admin token from the CLI, which then lets the server start beyond loopback', async () => {
      const usage = await cli(['token', 'create', '--name', 'first', '--store', store.url]);
      assert.equal(usage.code, 2);
      assert.match(usage.err, /--role must be one of viewer, operator, admin/);
      assert.equal((await cli(['token', 'create', '--name', 'x', '--role', 'root', '--store', store.url])).code, 2);
      assert.equal((await cli(['token', 'erase', '--store', store.url])).code, 2);
      assert.equal((await cli(['nonsense'])).code, 2);

      const created = await cli(['token', 'create', '--name', 'first-admin', '--role', 'admin', '--store', store.url]);
      assert.equal(created.code, 0, created.err);
      const token = created.out.trim();
      assert.match(token, /^sbx_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      assert.match(created.err, /created admin token "first-admin".*shown only this once/);

      const { app, apiUrl } = await start({ store: store.url, host: '0.0.0.0' });
      try {
        const call = authClient(apiUrl);
        assert.equal((await call('GET', '/services')).status, 401);
        const me = await call<WhoAmI>('GET', '/whoami', token);
        assert.deepEqual([me.body.kind, me.body.name, me.body.role], ['token', 'first-admin', 'admin']);
        const audit = await call<AuditPageBody>('GET', '/audit?action=token.create', token);
        assert.equal(audit.body.entries[0]?.actor.kind, 'system');
        assert.match(audit.body.entries[0]?.actor.name ?? '', /^cli \(.+@.+\)$/);

        const listed = await cli(['token', 'list', '--store', store.url]);
        const id = token.slice(4, 16);
        assert.match(listed.out, new RegExp(`^${id}\\tadmin\\tfirst-admin\\tactive$`, 'm'));
        const revoked = await cli(['token', 'revoke', id, '--reason', 'rotated', '--store', store.url]);
        assert.equal(revoked.code, 0, revoked.err);
        assert.equal((await cli(['token', 'list', '--store', store.url])).out, '');
        assert.match((await cli(['token', 'list', '--all', '--store', store.url])).out, /\trevoked /);
        assert.equal((await cli(['token', 'revoke', 'ffffffffffff', '--store', store.url])).code, 1);
        // The running server sees the revocation at once.
        assert.equal((await call('GET', '/services', token)).status, 401);
        const tokens = await app.context.store.db.selectFrom('api_tokens').select('revoked_by').execute();
        assert.match(tokens[0]?.revoked_by ?? '', /^cli \(/);
      } finally {
        await app.close();
      }
    });
  });
}

describe('the real binary', () => {
  let store: TestStore;
  before(async () => {
    store = await createTestStore('sqlite');
  });
  after(async () => {
    await store?.cleanup();
  });

  it('exits with a message naming SIGNALBOX_ADMIN_TOKEN when it would be open beyond loopback', () => {
    const result = spawnSync(
      process.execPath,
      [BIN, '--host', '0.0.0.0', '--api-port', '0', '--otlp-port', '0', '--store', store.url],
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, SIGNALBOX_ADMIN_TOKEN: '' } },
    );
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /failed to start/);
    assert.match(result.stdout, /SIGNALBOX_ADMIN_TOKEN/);
  });

  it('says at start that it is in open mode on loopback, and prints a created token alone on stdout', async () => {
    const server = await spawnServer(['--store', store.url, '--log-level', 'info'], { SIGNALBOX_ADMIN_TOKEN: '' });
    try {
      assert.ok(
        server.output.some(
          (line) => /"openMode":true/.test(line) && /open mode: no API token is configured/.test(line),
        ),
        server.output.join('\n'),
      );
    } finally {
      await server.stop();
    }
    const created = spawnSync(
      process.execPath,
      [BIN, 'token', 'create', '--name', 'ops', '--role', 'operator', '--store', store.url],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /^sbx_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n$/);

    // With SIGNALBOX_ADMIN_TOKEN set the server says tokens are required.
    const closed = await spawnServer(['--store', store.url, '--log-level', 'info'], {
      SIGNALBOX_ADMIN_TOKEN: 'bootstrap-admin-token-0123456789abcdef',
    });
    try {
      assert.ok(
        closed.output.some((line) => /API tokens are required/.test(line)),
        closed.output.join('\n'),
      );
      const me = await authClient(closed.apiUrl)<TokenBody>('GET', '/whoami', 'bootstrap-admin-token-0123456789abcdef');
      assert.equal(me.status, 200);
    } finally {
      await closed.stop();
    }
  });
});
