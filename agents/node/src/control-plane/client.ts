// The agent's one door to the control plane's API. Every call returns a result value instead of
// throwing, carries a timeout, and runs with tracing suppressed so the agent never traces its
// own traffic. Later channels (configuration push, breaker reports and commands) are further
// methods here, sharing the base URL, the token and these rules.
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { AGENT_VERSION } from '../version.js';

export interface HttpCheckDefinition {
  type: 'http';
  path: string;
  interval: string;
  timeout: string;
}

/** Body of POST /api/v1/instances (snake_case, durations as strings, as the API takes them). */
export interface InstanceRegistration {
  service: string;
  id: string;
  address: string;
  version: string;
  environment: string;
  labels: Record<string, string>;
  ttl: string;
  deregister_after: string;
  checks: HttpCheckDefinition[];
}

export interface ChannelRequest {
  service: string;
  environment: string;
  instanceId: string;
  /** The config version the agent runs (not sent again). */
  configVersion: number | null;
  /** The breaker command revision the agent has. */
  commandsRevision: string | null;
}

export interface PushedConfig {
  version: number;
  content: unknown;
  rollout_id: string | null;
}

export interface PushedCommand {
  id: string;
  action: 'force_open' | 'force_closed' | 'reset';
  breaker: string | null;
  reason: string;
  created_at: number;
  expires_at: number;
}

export interface PushedCommands {
  revision: string;
  commands: PushedCommand[];
}

export interface ChannelSnapshot {
  changed: boolean;
  config: PushedConfig | null;
  breakers: PushedCommands;
}

export interface ConfigAck {
  instance_id: string;
  version: number;
  status: 'applied' | 'rejected';
  reason?: string;
}

export interface CommandAck {
  instance_id: string;
  status: 'applied' | 'released' | 'rejected';
  detail?: string;
}

export interface BreakerReportBody {
  service: string;
  environment: string;
  instance_id: string;
  breakers: {
    name: string;
    dependency: string | null;
    state: 'closed' | 'open' | 'half_open';
    forced: 'open' | 'closed' | null;
    counts: Record<string, number>;
    transitions: { from: string; to: string; at: number; reason: string }[];
  }[];
}

function docPath(service: string, environment: string): string {
  return `/api/v1/config/${encodeURIComponent(service)}/${encodeURIComponent(environment)}`;
}

function channelQuery(channel: ChannelRequest): string {
  const query = new URLSearchParams({ instance_id: channel.instanceId });
  if (channel.configVersion !== null) query.set('config_version', String(channel.configVersion));
  if (channel.commandsRevision !== null) query.set('commands_revision', channel.commandsRevision);
  return query.toString();
}

export type CallResult =
  | { ok: true; status: number }
  | {
      ok: false;
      /** The HTTP status, absent when no answer came (refused, reset, timed out). */
      status?: number;
      /** Worth trying again later (network failure, 5xx, 429); false for refusals like 400. */
      retryable: boolean;
      error: string;
    };

export interface ControlPlaneClientOptions {
  baseUrl: string;
  token?: string | undefined;
  /** Default timeout of one call. */
  timeoutMs: number;
}

export class ControlPlaneClient {
  readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(options: ControlPlaneClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.headers = { accept: 'application/json', 'user-agent': `signalbox-agent-node/${AGENT_VERSION}` };
    if (options.token) this.headers['authorization'] = `Bearer ${options.token}`;
  }

  register(registration: InstanceRegistration): Promise<CallResult> {
    return this.call('POST', '/api/v1/instances', registration);
  }

  /** 404 means the control plane no longer knows the instance: register again. */
  heartbeat(instanceId: string): Promise<CallResult> {
    return this.call('PUT', `/api/v1/instances/${encodeURIComponent(instanceId)}/heartbeat`);
  }

  deregister(instanceId: string, timeoutMs?: number): Promise<CallResult> {
    return this.call('DELETE', `/api/v1/instances/${encodeURIComponent(instanceId)}`, undefined, timeoutMs);
  }

  /** POST /config/{service}/{environment}/acks: the agent applied or rejected a version. */
  ackConfig(service: string, environment: string, ack: ConfigAck): Promise<CallResult> {
    return this.call('POST', `${docPath(service, environment)}/acks`, ack);
  }

  /** POST /breakers/reports: state, counters and new transitions of this instance's breakers. */
  reportBreakers(report: BreakerReportBody): Promise<CallResult> {
    return this.call('POST', '/api/v1/breakers/reports', report);
  }

  ackBreakerCommand(commandId: string, ack: CommandAck): Promise<CallResult> {
    return this.call('POST', `/api/v1/breakers/commands/${encodeURIComponent(commandId)}/acks`, ack);
  }

  /**
   * Holds the channel's Server-Sent Events stream open, calling `onEvent` for each event, until
   * the server ends it, `signal` aborts, or nothing (not even a keepalive) arrives for `idleMs`.
   * Resolves with how it ended; `sseUnsupported` says a proxy or server refused the stream
   * (the caller switches to long-poll).
   */
  streamChannel(
    channel: ChannelRequest,
    onEvent: (event: string, data: unknown) => void,
    options: { signal: AbortSignal; idleMs: number },
  ): Promise<CallResult & { sseUnsupported?: boolean }> {
    return context.with(
      suppressTracing(context.active()),
      async (): Promise<CallResult & { sseUnsupported?: boolean }> => {
        const abort = new AbortController();
        const stop = () => abort.abort();
        options.signal.addEventListener('abort', stop, { once: true });
        let idle: NodeJS.Timeout | undefined;
        const touch = () => {
          clearTimeout(idle);
          idle = setTimeout(() => abort.abort(new Error('idle')), options.idleMs);
          idle.unref();
        };
        const path = `${docPath(channel.service, channel.environment)}/channel?${channelQuery(channel)}`;
        try {
          touch();
          const response = await fetch(`${this.baseUrl}${path}`, {
            headers: { ...this.headers, accept: 'text/event-stream' },
            signal: abort.signal,
          });
          const type = response.headers.get('content-type') ?? '';
          if (!response.ok || !type.startsWith('text/event-stream') || !response.body) {
            const text = await response.text().catch(() => '');
            return {
              ok: false,
              status: response.status,
              retryable: response.status >= 500 || response.status === 429,
              error: `GET channel answered ${response.status} ${type}: ${problemDetail(text)}`,
              sseUnsupported: response.ok || [404, 405, 406, 501].includes(response.status),
            };
          }
          const decoder = new TextDecoder();
          let buffer = '';
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            touch();
            buffer += decoder.decode(chunk, { stream: true });
            let end = buffer.indexOf('\n\n');
            while (end !== -1) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              let event = 'message';
              let data = '';
              for (const line of block.split('\n')) {
                if (line.startsWith('event:')) event = line.slice(6).trim();
                else if (line.startsWith('data:')) data += line.slice(5).trimStart();
              }
              if (data) {
                try {
                  onEvent(event, JSON.parse(data) as unknown);
                } catch {
                  // a malformed event is skipped; the next full state comes with the next change
                }
              }
              end = buffer.indexOf('\n\n');
            }
          }
          return { ok: true, status: 200 };
        } catch (error) {
          if (options.signal.aborted) return { ok: true, status: 0 };
          return { ok: false, retryable: true, error: `channel stream failed: ${describe(error)}` };
        } finally {
          clearTimeout(idle);
          options.signal.removeEventListener('abort', stop);
        }
      },
    );
  }

  /** Long-poll fallback of the channel: waits up to `waitMs` for a change. */
  async pollChannel(
    channel: ChannelRequest,
    waitMs: number,
    signal: AbortSignal,
  ): Promise<{ ok: true; snapshot: ChannelSnapshot } | (CallResult & { ok: false })> {
    return context.with(suppressTracing(context.active()), async () => {
      const path = `${docPath(channel.service, channel.environment)}/poll?${channelQuery(channel)}&wait=${Math.round(waitMs)}ms`;
      try {
        const response = await fetch(`${this.baseUrl}${path}`, {
          headers: this.headers,
          signal: AbortSignal.any([signal, AbortSignal.timeout(waitMs + this.timeoutMs)]),
        });
        const text = await response.text();
        if (response.ok) return { ok: true as const, snapshot: JSON.parse(text) as ChannelSnapshot };
        return {
          ok: false as const,
          status: response.status,
          retryable: response.status >= 500 || response.status === 429,
          error: `GET poll answered ${response.status}: ${problemDetail(text)}`,
        };
      } catch (error) {
        return { ok: false as const, retryable: true, error: `channel poll failed: ${describe(error)}` };
      }
    });
  }

  private call(method: string, path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<CallResult> {
    return context.with(suppressTracing(context.active()), async (): Promise<CallResult> => {
      const headers = { ...this.headers };
      if (body !== undefined) headers['content-type'] = 'application/json';
      try {
        const response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers,
          body: body === undefined ? null : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await response.text();
        if (response.ok) return { ok: true, status: response.status };
        return {
          ok: false,
          status: response.status,
          retryable: response.status >= 500 || response.status === 429 || response.status === 408,
          error: `${method} ${path} answered ${response.status}: ${problemDetail(text)}`,
        };
      } catch (error) {
        return { ok: false, retryable: true, error: `${method} ${path} failed: ${describe(error)}` };
      }
    });
  }
}

/** The `detail` (or `title`) of a problem+json body, else the start of the text. */
function problemDetail(text: string): string {
  try {
    const problem = JSON.parse(text) as { detail?: unknown; title?: unknown };
    const detail = problem.detail ?? problem.title;
    if (typeof detail === 'string') return detail;
  } catch {
    // not JSON
  }
  return text.slice(0, 200) || '(empty body)';
}

/** fetch() hides the socket error in `cause` (an AggregateError when several addresses failed). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: unknown; errors?: { code?: unknown }[] } }).cause;
  const code = cause?.code ?? cause?.errors?.find((inner) => typeof inner?.code === 'string')?.code;
  return typeof code === 'string' ? `${error.message}: ${code}` : error.message;
}
