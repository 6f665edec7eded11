// The Kubernetes source is off by default, and then its client library must not even be loaded:
// @kubernetes/client-node and its generated models cost a server ~40 MB of heap, which took the
// health-checker benchmark (10,000 instances) over its 300 MB RSS budget.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { spawnServer } from './helpers/server.js';

const RECORDER = fileURLToPath(new URL('./fixtures/record-resolutions.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'signalbox-k8s-off-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a server without --kubernetes never loads @kubernetes/client-node', async () => {
  const record = join(dir, 'resolved.txt');
  const server = await spawnServer(['--store', `sqlite:${join(dir, 'signalbox.db')}`], {
    NODE_OPTIONS: `--import ${RECORDER}`,
    SIGNALBOX_RECORD_RESOLUTIONS: record,
  });
  const response = await fetch(`${server.apiUrl}/api/v1/services`);
  assert.equal(response.status, 200);
  assert.equal(await server.stop(), 0);
  const packages = new Set(readFileSync(record, 'utf8').split('\n').filter(Boolean));
  // The recorder sees the server's packages (so the check below could fail) …
  assert.ok(packages.has('fastify'), `recorded: ${[...packages].slice(0, 20).join(', ')}`);
  assert.ok(packages.has('better-sqlite3'));
  // … and the Kubernetes client is not among them.
  assert.ok(![...packages].some((name) => name.startsWith('@kubernetes/')), 'client-node was loaded');
});
