import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSettings, SettingsError } from '../src/settings.js';

describe('topology settings', () => {
  it('has laptop defaults and reads flags and SIGNALBOX_* variables', () => {
    const defaults = loadSettings([], {});
    assert.equal(defaults.topologyPairWaitMs, 10_000);
    assert.equal(defaults.topologyMaxPending, 100_000);
    assert.equal(defaults.topologyFlushMs, 5_000);
    assert.equal(defaults.topologyRetentionHours, 168);
    assert.equal(defaults.topologyMetricSeriesLimit, 10_000);
    const set = loadSettings(['--topology-pair-wait-ms', '2500'], { SIGNALBOX_TOPOLOGY_RETENTION_HOURS: '24' });
    assert.equal(set.topologyPairWaitMs, 2500);
    assert.equal(set.topologyRetentionHours, 24);
  });

  it('refuses bad values and names the setting', () => {
    for (const [args, env, name] of [
      [['--topology-pair-wait-ms', '5'], {}, /topology-pair-wait-ms/],
      [[], { SIGNALBOX_TOPOLOGY_FLUSH_MS: 'soon' }, /SIGNALBOX_TOPOLOGY_FLUSH_MS/],
      [['--topology-max-pending', '0'], {}, /topology-max-pending/],
    ] as const) {
      assert.throws(
        () => loadSettings([...args], { ...env }),
        (error: unknown) => error instanceof SettingsError && name.test(error.message),
      );
    }
  });
});
