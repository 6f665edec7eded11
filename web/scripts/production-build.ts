// A production build of the dashboard, made only when needed: `next build` is skipped when the
// sources have not changed since the last build made here (a fingerprint stamped into .next),
// and a lock directory serialises concurrent callers (browser test files, `npm run demo`) so
// only one builds and none starts on a half-written .next.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
export const NEXT_BIN = createRequire(import.meta.url).resolve('next/dist/bin/next');

const INPUTS = ['src', 'public', 'next.config.ts', 'postcss.config.mjs', 'package.json', 'tsconfig.json'];
const STAMP = join(WEB_DIR, '.next', 'signalbox-build-stamp');
const LOCK = join(WEB_DIR, '.next-build.lock');
const BUILD_TIMEOUT_MS = 240_000;

function listFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => listFiles(join(path, entry)));
}

export function sourceFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => listFiles(join(WEB_DIR, input)))) {
    hash.update(file.slice(WEB_DIR.length));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

function isBuilt(fingerprint: string): boolean {
  return (
    existsSync(join(WEB_DIR, '.next', 'BUILD_ID')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === fingerprint
  );
}

async function acquireLock(): Promise<() => void> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a process that died (Ctrl-C mid-build) is taken over.
      const owner = Number(readFileSync(join(LOCK, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      if (owner && !isAlive(owner)) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for the dashboard build lock ${LOCK}`);
      await sleep(500);
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ensures .next holds a production build of the current sources; returns the build time in ms
 * (0 = reused). `onChild` sees the `next build` process (a process group leader), so a caller
 * can stop it and its workers.
 */
export async function ensureBuild(options: { onChild?: (child: ChildProcess) => void } = {}): Promise<number> {
  const fingerprint = sourceFingerprint();
  if (isBuilt(fingerprint)) return 0;
  const release = await acquireLock();
  try {
    if (isBuilt(fingerprint)) return 0; // another test file built it while we waited
    const started = Date.now();
    const output: string[] = [];
    const child = spawn(process.execPath, [NEXT_BIN, 'build'], {
      cwd: WEB_DIR,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a caller can stop the build with its workers (kill -pid).
      detached: true,
    });
    options.onChild?.(child);
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.on('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    );
    if (code !== 0) throw new Error(`next build failed (${signal ?? `exit ${code}`}):\n${output.join('')}`);
    writeFileSync(STAMP, fingerprint);
    return Date.now() - started;
  } finally {
    release();
  }
}
