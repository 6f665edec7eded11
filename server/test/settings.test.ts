import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadSettings, SettingsError } from '../src/settings.js';

describe('settings', () => {
  it('has laptop defaults', () => {
    const s = loadSettings([], {});
    assert.equal(s.apiPort, 8080);
    assert.equal(s.otlpPort, 4318);
    assert.equal(s.host, '127.0.0.1');
    assert.equal(s.store, 'sqlite:./signalbox-data/signalbox.db');
    assert.equal(s.logLevel, 'info');
  });

  it('takes flags over environment over defaults', () => {
    const s = loadSettings(['--api-port', '9000'], { SIGNALBOX_API_PORT: '9100', SIGNALBOX_OTLP_PORT: '9200' });
    assert.equal(s.apiPort, 9000);
    assert.equal(s.otlpPort, 9200);
    const t = loadSettings([], { SIGNALBOX_STORE: 'postgres://u@db:5432/signalbox', SIGNALBOX_HOST: '0.0.0.0' });
    assert.equal(t.store, 'postgres://u@db:5432/signalbox');
    assert.equal(t.host, '0.0.0.0');
  });

  for (const [argv, env, setting] of [
    [['--api-port', 'eighty'], {}, '--api-port / SIGNALBOX_API_PORT'],
    [[], { SIGNALBOX_OTLP_PORT: '70000' }, '--otlp-port / SIGNALBOX_OTLP_PORT'],
    [['--store', 'mysql://x'], {}, '--store / SIGNALBOX_STORE'],
    [['--log-level', 'loud'], {}, '--log-level / SIGNALBOX_LOG_LEVEL'],
    [['--api-port', '4318'], {}, '--otlp-port / SIGNALBOX_OTLP_PORT'],
    [['--no-such-flag', '1'], {}, 'command line'],
  ] as const) {
    it(`refuses ${JSON.stringify(argv)} ${JSON.stringify(env)} naming ${setting}`, () => {
      assert.throws(
        () => loadSettings([...argv], { ...env }),
        (error: unknown) => error instanceof SettingsError && error.setting === setting,
      );
    });
  }

  it('stops the real binary with a message naming the setting', () => {
    const bin = fileURLToPath(new URL('../bin/signalbox-server.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [bin, '--api-port', 'nope'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /invalid setting --api-port \/ SIGNALBOX_API_PORT: expected a whole number, got "nope"/,
    );
  });

  it('stops with exit 2 when a module refuses a setting while the app is built', () => {
    const bin = fileURLToPath(new URL('../bin/signalbox-server.mjs', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'signalbox-kubeconfig-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:1"}\n' +
        'contexts:\n- name: a\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {}\ncurrent-context: a\n',
    );
    try {
      const args = ['--api-port', '0', '--otlp-port', '0', '--store', 'sqlite::memory:'];
      const result = spawnSync(process.execPath, [bin, ...args, '--kubernetes', kubeconfig, '--kube-context', 'nope'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, /invalid setting --kube-context \/ SIGNALBOX_KUBE_CONTEXT: "nope" is not a context/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
