// deploy/README.md says what the manifests do: its install is three commands, it names the
// overlays that exist, and every Secret key the manifests read is one it tells users to create.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { render } from './lib/kustomize.js';
import { OVERLAYS, overlayDir } from './lib/overlays.js';
import { exists, repoPath } from './lib/repo.js';
import { workloads } from './lib/workloads.js';

const readme = readFileSync(repoPath('deploy/README.md'), 'utf8');

it('installs in three commands, the last applying an overlay that exists', () => {
  const section = readme.split('## Install in three commands')[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const commands = block.split('\n').filter((line) => line.trim() !== '');
  assert.equal(commands.length, 3, block);
  assert.match(commands[0] ?? '', /^kubectl create namespace signalbox$/);
  const overlay = /kubectl apply -k (\S+)/.exec(commands[2] ?? '')?.[1];
  assert.ok(overlay && exists(overlay), `${overlay} does not exist`);
});

it('names every overlay and only overlays that exist', () => {
  for (const overlay of OVERLAYS)
    assert.ok(readme.includes(`overlays/${overlay}`), `README does not mention ${overlay}`);
  for (const [, path] of readme.matchAll(/deploy\/kubernetes\/((?:overlays|components)\/[a-z-]+)/g)) {
    assert.ok(exists(`deploy/kubernetes/${path}`), `README names deploy/kubernetes/${path}, which does not exist`);
  }
});

it('tells users to create every Secret key the manifests read', () => {
  const keys = new Set<string>();
  for (const overlay of OVERLAYS) {
    for (const w of workloads(render(overlayDir(overlay)).objects)) {
      for (const c of w.containers) {
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref) keys.add(`${ref.name} ${ref.key}`);
        }
      }
    }
  }
  assert.ok(keys.size >= 3, [...keys].join(', '));
  for (const entry of keys) {
    const [name, key] = entry.split(' ') as [string, string];
    const created = new RegExp(`create secret generic ${name} [^\\n]*--from-literal=${key}=`);
    assert.match(readme, created, `README never creates secret ${name} with key ${key}`);
  }
});
