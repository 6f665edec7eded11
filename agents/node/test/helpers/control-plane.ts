// A real control plane (`signalbox-server` as a child process, SQLite in a temp dir) on fixed
// ports, so a test can stop it and start it again where the agent expects it: the agent keeps
// its configured URL across the outage, as it would in production. A child process, not
// in-process, so the agent under test never traces the control plane's own request handling.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

const SERVER_BIN = fileURLToPath(new URL('../../../../server/bin/signalbox-server.mjs', import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

export class ControlPlane {
  readonly apiUrl: string;
  readonly otlpUrl: string;
  private process: ChildProcess | undefined;
  /** What the server printed, for the failure message of a test. */
  readonly output: string[] = [];
  private readonly dirs: string[] = [];

  private constructor(
    readonly apiPort: number,
    readonly otlpPort: number,
    /** Extra environment of the server, e.g. SIGNALBOX_ADMIN_TOKEN and SIGNALBOX_INGEST_TOKEN. */
    private readonly env: Record<string, string>,
  ) {
    this.apiUrl = `http://127.0.0.1:${apiPort}`;
    this.otlpUrl = `http://127.0.0.1:${otlpPort}`;
  }

  /** Reserves the ports; nothing listens on them until start(). */
  static async reserve(env: Record<string, string> = {}): Promise<ControlPlane> {
    return new ControlPlane(await freePort(), await freePort(), env);
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  /** Starts on a fresh, empty store (a restart after data loss, when it ran before). */
  async start(): Promise<void> {
    if (this.process) throw new Error('control plane already running');
    const dir = mkdtempSync(join(tmpdir(), 'signalbox-agent-test-'));
    this.dirs.push(dir);
    const child = spawn(
      process.execPath,
      [
        SERVER_BIN,
        '--api-port',
        String(this.apiPort),
        '--otlp-port',
        String(this.otlpPort),
        '--store',
        `sqlite:${join(dir, 'signalbox.db')}`,
        '--log-level',
        'info',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'test', ...this.env } },
    );
    this.process = child;
    // The server logs one JSON line with both addresses once it listens.
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(
        () => reject(new Error(`control plane did not start:\n${this.output.join('\n')}`)),
        30_000,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          this.output.push(line);
          if (line.includes('"api"') && line.includes('"otlp"')) {
            clearTimeout(timer);
            resolve();
          }
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`control plane exited with ${code}:\n${this.output.join('\n')}`));
      });
    });
  }

  /** SIGKILL: gone at once, nothing flushed, like a crash. */
  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  /** SIGTERM: a graceful stop. */
  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }

  async dispose(): Promise<void> {
    await this.kill();
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }

  /** GET on the API. Not traced: the test process runs an agent, and these calls are the test's, not the service's. */
  get<T = unknown>(path: string, token?: string): Promise<{ status: number; body: T }> {
    return context.with(suppressTracing(context.active()), async () => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(`${this.apiUrl}${path}`, { headers });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    });
  }
}

/** Polls until `probe` returns a value other than undefined, or fails with the last state. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
