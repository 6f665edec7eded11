#!/usr/bin/env node
// Runs every package's tests with node's test runner (TypeScript through tsx) and closes with
// one summary line a person can read. `node scripts/run-tests.mjs server` runs one package;
// extra arguments after `--` go to node (e.g. `-- --test-name-pattern=registry`).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// Each package's unit and integration tests (test/), and browser tests (e2e/, in web).
const PACKAGES = ['server', 'agents/node', 'demo-services', 'web', 'deploy', 'bench'];

const args = process.argv.slice(2);
const dash = args.indexOf('--');
const selected = (dash === -1 ? args : args.slice(0, dash)).filter(Boolean);
const nodeArgs = dash === -1 ? [] : args.slice(dash + 1);

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'fixtures') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (/\.test\.(ts|mjs|js)$/.test(entry)) out.push(path);
  }
  return out.sort();
}

const packages = selected.length > 0 ? selected : PACKAGES;
const files = packages.flatMap((pkg) => [...findTests(join(root, pkg, 'test')), ...findTests(join(root, pkg, 'e2e'))]);
if (files.length === 0) {
  console.error(`no test files found under ${packages.map((p) => `${p}/test`).join(', ')}`);
  process.exit(1);
}

const tap = join(mkdtempSync(join(tmpdir(), 'signalbox-tests-')), 'results.tap');
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
    // A test that hangs fails after five minutes instead of holding CI until its deadline.
    `--test-timeout=${process.env.TEST_TIMEOUT_MS ?? 300_000}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...nodeArgs,
    ...files.map((f) => relative(root, f)),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);

child.on('exit', (code, signal) => {
  const counts = { pass: 0, fail: 0, skipped: 0, todo: 0, cancelled: 0 };
  try {
    const text = readFileSync(tap, 'utf8');
    for (const key of Object.keys(counts)) {
      const match = text.match(new RegExp(`^# ${key} (\\d+)$`, 'm'));
      if (match) counts[key] = Number(match[1]);
    }
  } catch {
    // No TAP file: the runner died before reporting; the exit code below says so.
  }
  const failed = counts.fail + counts.cancelled;
  console.log(`\n${files.length} test files in ${packages.join(', ')}`);
  console.log(`${counts.pass} passed, ${failed} failed, ${counts.skipped} skipped`);
  process.exit(signal ? 1 : (code ?? 1));
});
