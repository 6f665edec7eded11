// Runs fleet processes (demo-services/src/fleet.ts specs) as children of the test: output kept
// per process for failure messages, SIGKILL for one on demand, SIGTERM for all at the end (with
// SIGKILL after a deadline, so nothing outlives the test).
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FleetProcess } from '../../src/fleet.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface RunningProcess {
  spec: FleetProcess;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

export interface ProcessGroup {
  get(name: string): RunningProcess;
  /** The last lines of every process, for an assertion message. */
  tail(lines?: number): string;
  kill(name: string): Promise<void>;
  stopAll(deadlineMs?: number): Promise<void>;
}

export function spawnFleet(specs: readonly FleetProcess[]): ProcessGroup {
  const running = new Map<string, RunningProcess>();
  for (const spec of specs) {
    const child = spawn(spec.command, spec.args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') output.push(line);
      if (output.length > 2000) output.splice(0, output.length - 2000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    running.set(spec.name, { spec, child, output, exited });
  }
  const get = (name: string) => {
    const found = running.get(name);
    if (!found) throw new Error(`no process ${name}`);
    return found;
  };
  const alive = (p: RunningProcess) => p.child.exitCode === null && p.child.signalCode === null;
  return {
    get,
    tail(lines = 15) {
      return [...running.values()]
        .map(
          (p) =>
            `--- ${p.spec.name} (${alive(p) ? 'running' : `exited ${p.child.exitCode ?? p.child.signalCode}`})\n${p.output.slice(-lines).join('\n')}`,
        )
        .join('\n');
    },
    async kill(name) {
      const p = get(name);
      if (!alive(p)) return;
      p.child.kill('SIGKILL');
      await p.exited;
    },
    async stopAll(deadlineMs = 8000) {
      const all = [...running.values()];
      for (const p of all) if (alive(p)) p.child.kill('SIGTERM');
      const timer = setTimeout(() => {
        for (const p of all) if (alive(p)) p.child.kill('SIGKILL');
      }, deadlineMs);
      await Promise.all(all.map((p) => p.exited));
      clearTimeout(timer);
    },
  };
}

/** Free TCP ports on loopback (the OS picks them; released just before the fleet binds them). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<import('node:net').Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/**
 * `count` consecutive free ports on loopback (for the demo, which takes a block from a base).
 * Below Linux's ephemeral range (32768 and up): a port there that is free now can be taken by
 * any outgoing connection before the fleet binds it (CI failed so: EADDRINUSE).
 */
export async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 10_000 + Math.floor(Math.random() * (32_000 - 10_000 - count));
    const taken: import('node:net').Server[] = [];
    try {
      for (let port = base; port < base + count; port++) {
        taken.push(
          await new Promise((resolve, reject) => {
            const server = createServer();
            server.once('error', reject);
            server.listen(port, '127.0.0.1', () => resolve(server));
          }),
        );
      }
      return base;
    } catch {
      // one of them is taken: try another block
    } finally {
      await Promise.all(taken.map((s) => new Promise((resolve) => s.close(resolve))));
    }
  }
  throw new Error(`no block of ${count} free ports found`);
}

/** Whether something still listens on the port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}
