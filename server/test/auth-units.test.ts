// Unit tests of the access-control pieces that need no server: token format and hashing, role
// order and defaults, loopback detection, the auth settings, and the timeline merge.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { isLoopbackHost } from '../src/auth/authenticator.js';
import { defaultRoleFor, roleAllows } from '../src/auth/roles.js';
import { generateToken, hashToken, matchesHash, secretsEqual, tokenId } from '../src/auth/token-format.js';
import { tokenNameProblem } from '../src/auth/token-service.js';
import { loadSettings, SettingsError } from '../src/settings.js';
import { type TimelineEvent, TimelineService } from '../src/timeline/timeline.js';

describe('token format', () => {
  it('generates distinct high-entropy tokens whose id is readable and whose hash is SHA-256', () => {
    const a = generateToken();
    const b = generateToken();
    assert.notEqual(a.token, b.token);
    assert.notEqual(a.id, b.id);
    assert.match(a.token, /^sbx_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    assert.equal(tokenId(a.token), a.id);
    assert.equal(a.hash, createHash('sha256').update(a.token).digest('hex'));
    assert.equal(hashToken(a.token), a.hash);
  });

  it('matches a token against its hash only', () => {
    const { token, hash } = generateToken();
    assert.equal(matchesHash(token, hash), true);
    assert.equal(matchesHash(`${token.slice(0, -1)}x`, hash), false);
    assert.equal(matchesHash(token, 'abcd'), false);
  });

  it('rejects strings that are not API tokens', () => {
    for (const text of [
      '',
      'sbx_',
      'sbx_0123456789ab',
      'sbx_0123456789AB_' + 'a'.repeat(43),
      `Bearer sbx_0123456789ab_${'a'.repeat(43)}`,
    ]) {
      assert.equal(tokenId(text), null, text);
    }
  });

  it('compares secrets of any length', () => {
    assert.equal(secretsEqual('same-secret-value', 'same-secret-value'), true);
    assert.equal(secretsEqual('same-secret-value', 'same-secret-valuE'), false);
    assert.equal(secretsEqual('short', 'a much longer secret'), false);
  });

  it('accepts names people use and refuses empty, long and control-character names', () => {
    assert.equal(tokenNameProblem('alice@example.com (laptop)'), null);
    assert.match(tokenNameProblem('  ') ?? '', /empty/);
    assert.match(tokenNameProblem('x'.repeat(101)) ?? '', /at most 100/);
    assert.match(tokenNameProblem('a\nb') ?? '', /control/);
  });
});

describe('roles', () => {
  it('orders viewer < operator < admin', () => {
    assert.equal(roleAllows('admin', 'operator'), true);
    assert.equal(roleAllows('operator', 'operator'), true);
    assert.equal(roleAllows('operator', 'admin'), false);
    assert.equal(roleAllows('viewer', 'operator'), false);
    assert.equal(roleAllows('viewer', 'viewer'), true);
  });

  it('defaults reads to viewer and writes to operator', () => {
    assert.equal(defaultRoleFor('GET'), 'viewer');
    assert.equal(defaultRoleFor('HEAD'), 'viewer');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) assert.equal(defaultRoleFor(method), 'operator');
  });
});

describe('loopback detection', () => {
  it('knows which binds only this machine can reach', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'signalbox.internal', '::ffff:10.0.0.1']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });
});

describe('auth settings', () => {
  it('reads the admin token, --insecure-open and the rate limit from flags and variables', () => {
    const defaults = loadSettings([], {});
    assert.equal(defaults.adminToken, undefined);
    assert.equal(defaults.insecureOpen, false);
    assert.equal(defaults.apiRateLimit, 1200);
    const flags = loadSettings(['--admin-token', 'x'.repeat(32), '--insecure-open', '--api-rate-limit', '60'], {});
    assert.deepEqual([flags.adminToken, flags.insecureOpen, flags.apiRateLimit], ['x'.repeat(32), true, 60]);
    const env = loadSettings([], { SIGNALBOX_ADMIN_TOKEN: 'y'.repeat(16), SIGNALBOX_INSECURE_OPEN: 'on' });
    assert.deepEqual([env.adminToken, env.insecureOpen], ['y'.repeat(16), true]);
  });

  it('refuses a guessable admin token, naming the setting', () => {
    for (const value of ['short', 'has spaces in the middle of it']) {
      assert.throws(
        () => loadSettings([], { SIGNALBOX_ADMIN_TOKEN: value }),
        (error: unknown) =>
          error instanceof SettingsError &&
          error.setting === '--admin-token / SIGNALBOX_ADMIN_TOKEN' &&
          /at least 16 characters without spaces/.test(error.message),
      );
    }
    assert.throws(() => loadSettings([], { SIGNALBOX_INSECURE_OPEN: 'maybe' }), /SIGNALBOX_INSECURE_OPEN/);
  });
});

describe('timeline merge', () => {
  const event = (at: number, source: string): TimelineEvent => ({
    at,
    source,
    kind: 'k',
    summary: `${source}@${at}`,
    instance_id: null,
    details: {},
  });
  const source = (name: string, times: number[]) => ({
    name,
    async events() {
      return times.map((at) => event(at, name));
    },
  });

  it('merges sources newest first, cuts at the limit and says it did', async () => {
    const timeline = new TimelineService();
    timeline.addSource(source('a', [50, 30, 10]));
    timeline.addSource(source('b', [40, 20]));
    const all = await timeline.query({ service: 's', from: 0, to: 100, limit: 10 });
    assert.deepEqual(
      all.events.map((e) => e.summary),
      ['a@50', 'b@40', 'a@30', 'b@20', 'a@10'],
    );
    assert.equal(all.truncated, false);
    const cut = await timeline.query({ service: 's', from: 0, to: 100, limit: 3 });
    assert.deepEqual(
      cut.events.map((e) => e.summary),
      ['a@50', 'b@40', 'a@30'],
    );
    assert.equal(cut.truncated, true);
  });

  it('reports a failing source and keeps the others', async () => {
    const timeline = new TimelineService();
    timeline.addSource(source('a', [5]));
    timeline.addSource({
      name: 'broken',
      async events() {
        throw new Error('boom');
      },
    });
    const failures: string[] = [];
    const result = await timeline.query({ service: 's', from: 0, to: 10, limit: 10 }, (name) => failures.push(name));
    assert.deepEqual(
      result.events.map((e) => e.summary),
      ['a@5'],
    );
    assert.deepEqual(result.sources, [
      { name: 'a', ok: true, error: null },
      { name: 'broken', ok: false, error: 'boom' },
    ]);
    assert.deepEqual(failures, ['broken']);
  });

  it('refuses two sources with one name', () => {
    const timeline = new TimelineService();
    timeline.addSource(source('a', []));
    assert.throws(() => timeline.addSource(source('a', [])), /already added/);
  });
});
