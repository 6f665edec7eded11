// The probes themselves: HTTP through one undici Agent (a keep-alive connection pool per
// target, so a check every few seconds reuses its connection instead of a handshake each time)
// and TCP through node:net. A probe never throws: it resolves with an outcome and a short output
// line that says what happened, the way Consul shows check output.
import { STATUS_CODES } from 'node:http';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Agent, type Dispatcher } from 'undici';
import { formatDuration } from '../registry/durations.js';
import type { HttpCheck, TcpCheck } from './checks.js';
import { statusMatches } from './checks.js';

export type Outcome = 'pass' | 'warn' | 'fail';

export interface ProbeResult {
  outcome: Outcome;
  output: string;
  durationMs: number;
}

export interface Target {
  host: string;
  port: number;
  /** `http://host:port`, built once per instance rather than per probe. */
  origin: string;
}

export function targetOf(address: { host: string; port: number }): Target {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return { host: address.host, port: address.port, origin: `http://${host}:${address.port}` };
}

/** Bodies are read only to look for body_contains or to show why a probe failed, and never past this. */
const BODY_LIMIT = 64 * 1024;
/** Characters of a failing response body kept in the output. */
const OUTPUT_BODY_CHARS = 200;

async function readLimited(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= BODY_LIMIT) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8', 0, Math.min(size, BODY_LIMIT));
}

function errorText(error: unknown): string {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message;
  return [err.code, err.message, cause].filter(Boolean).join(': ') || String(error);
}

// "HTTP 200 OK" is the output of most probes: built once per status code, not once per probe.
const STATUS_LINES = new Map<number, string>();
function statusLine(code: number): string {
  let line = STATUS_LINES.get(code);
  if (line === undefined) {
    line = `HTTP ${code} ${STATUS_CODES[code] ?? ''}`.trimEnd();
    if (code >= 100 && code <= 599) STATUS_LINES.set(code, line);
  }
  return line;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > OUTPUT_BODY_CHARS ? `${flat.slice(0, OUTPUT_BODY_CHARS)}…` : flat;
}

const TIMEOUT_CODES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connecting',
  UND_ERR_HEADERS_TIMEOUT: 'waiting for the response headers',
  UND_ERR_BODY_TIMEOUT: 'reading the response body',
};

export class Prober {
  // One keep-alive Agent (a connection pool per target) for each probe timeout in use: the
  // connect timeout is an Agent setting, and there are only a few distinct timeouts. Deadlines
  // are undici's own headers/body/connect timeouts rather than an AbortController per probe,
  // which costs a retained signal and timer per probe (measured: ~1 KB promoted to the old
  // generation per probe, a heap that grows by a MB a second at 1,000 checks/s).
  private readonly agents = new Map<number, Agent>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly perOriginConnections: number) {}

  private agentFor(timeoutMs: number): Agent {
    let agent = this.agents.get(timeoutMs);
    if (!agent) {
      agent = new Agent({
        connections: this.perOriginConnections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 60_000,
        connect: { timeout: timeoutMs },
      });
      this.agents.set(timeoutMs, agent);
    }
    return agent;
  }

  async http(
    target: Target,
    check: HttpCheck,
    ranges: ReadonlyArray<readonly [number, number]>,
    headers: Record<string, string>,
  ): Promise<ProbeResult> {
    const started = performance.now();
    const done = (outcome: Outcome, output: string): ProbeResult => {
      const durationMs = performance.now() - started;
      // Each phase has the timeout as its deadline; together they may take longer, which
      // still fails the probe.
      if (outcome !== 'fail' && durationMs > check.timeoutMs) {
        return {
          outcome: 'fail',
          output: `${output}, but only after ${Math.round(durationMs)}ms (timeout ${formatDuration(check.timeoutMs)})`,
          durationMs,
        };
      }
      return { outcome, output, durationMs };
    };
    try {
      const response = await this.agentFor(check.timeoutMs).request({
        origin: target.origin,
        path: check.path,
        method: check.method as Dispatcher.HttpMethod,
        headers,
        headersTimeout: check.timeoutMs,
        bodyTimeout: check.timeoutMs,
      });
      const code = response.statusCode;
      const line = statusLine(code);
      const expected = statusMatches(ranges, code);
      if (expected && check.bodyContains === null) {
        await response.body.dump({ limit: BODY_LIMIT });
        return done('pass', line);
      }
      const body = check.method === 'HEAD' ? '' : await readLimited(response.body);
      if (!expected) {
        const outcome: Outcome = code === 429 ? 'warn' : 'fail';
        const shown = snippet(body);
        return done(outcome, `${line} (expected ${check.expectedStatus})${shown ? `: ${shown}` : ''}`);
      }
      if (!body.includes(check.bodyContains as string)) {
        return done('fail', `${line}, but the body does not contain ${JSON.stringify(check.bodyContains)}`);
      }
      return done('pass', `${line}, body contains ${JSON.stringify(check.bodyContains)}`);
    } catch (error) {
      const phase = TIMEOUT_CODES[(error as { code?: string }).code ?? ''];
      if (phase) return done('fail', `timed out after ${formatDuration(check.timeoutMs)} ${phase}`);
      return done('fail', errorText(error));
    }
  }

  tcp(target: Target, check: TcpCheck): Promise<ProbeResult> {
    const started = performance.now();
    const address = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
    return new Promise((resolve) => {
      const socket = connect({ host: target.host, port: target.port });
      this.sockets.add(socket);
      let settled = false;
      const finish = (outcome: Outcome, output: string) => {
        if (settled) return;
        settled = true;
        this.sockets.delete(socket);
        socket.destroy();
        resolve({ outcome, output, durationMs: performance.now() - started });
      };
      socket.setTimeout(check.timeoutMs);
      socket.once('connect', () => finish('pass', `TCP connect to ${address} succeeded`));
      socket.once('timeout', () =>
        finish('fail', `TCP connect to ${address} timed out after ${formatDuration(check.timeoutMs)}`),
      );
      socket.once('error', (error) => finish('fail', `TCP connect to ${address}: ${errorText(error)}`));
      socket.once('close', () => finish('fail', `TCP connect to ${address}: closed`));
    });
  }

  /** Aborts what is in flight and closes every pooled connection. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await Promise.all([...this.agents.values()].map((agent) => agent.destroy()));
    this.agents.clear();
  }
}
