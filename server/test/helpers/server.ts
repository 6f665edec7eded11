// Starts the real control plane for a test: in-process (fast, inject or real HTTP on port 0) or
// as a child process (for kill -9 and multi-replica tests).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { type BuildOptions, buildApp, type SignalboxApp } from '../../src/app.js';
import { defaultSettings, type Settings } from '../../src/settings.js';

export interface RunningServer {
  app: SignalboxApp;
  apiUrl: string;
  otlpUrl: string;
  close(): Promise<void>;
}

export async function startServer(
  overrides: Partial<Settings> & { store: string },
  options: BuildOptions = {},
): Promise<RunningServer> {
  const settings = defaultSettings({ apiPort: 0, otlpPort: 0, logLevel: 'warn', ...overrides });
  const app = await buildApp(settings, {
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? settings.logLevel }),
    ...options,
  });
  try {
    const { apiUrl, otlpUrl } = await app.start();
    return { app, apiUrl, otlpUrl, close: () => app.close() };
  } catch (error) {
    // Release ports, timers and the store so a failed start cannot hang the test process.
    await app.close().catch(() => {});
    throw error;
  }
}

export interface ServerProcess {
  child: ChildProcess;
  apiUrl: string;
  otlpUrl: string;
  /** Lines the process logged so far (JSON). */
  output: string[];
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, no chance to flush. */
  kill(): Promise<void>;
}

const BIN = fileURLToPath(new URL('../../bin/signalbox-server.mjs', import.meta.url));

/** Spawns `signalbox-server` with the given flags and waits until it reports its addresses. */
export async function spawnServer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 30_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, '--api-port', '0', '--otlp-port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let buffered = '';
  const addresses = new Promise<{ api: string; otlp: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start within ${timeoutMs} ms:\n${output.join('\n')}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        output.push(line);
        try {
          const record = JSON.parse(line) as { api?: string; otlp?: string };
          if (record.api && record.otlp) {
            clearTimeout(timer);
            resolve({ api: record.api, otlp: record.otlp });
          }
        } catch {
          // not JSON: keep it for the error message
        }
        newline = buffered.indexOf('\n');
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before starting:\n${output.join('\n')}`));
    });
  });
  const { api, otlp } = await addresses;
  const exited = once(child, 'exit');
  return {
    child,
    apiUrl: api,
    otlpUrl: otlp,
    output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
