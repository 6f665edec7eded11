// Pod logs on demand from the API server (client-node's Log): the last N lines, or a follow
// stream, of a chosen container, current or previous instance. The request is checked against
// the cached pod first: the API server's own refusals (unknown container, no previous instance,
// still waiting) reach client-node only as a bare status code, so we say what to fix ourselves.
import { Writable } from 'node:stream';
import { type KubeConfig, Log, type V1Pod } from '@kubernetes/client-node';
import { ApiError, Errors } from '../errors.js';
import { LOG_LIMITS, type LogLine } from './schemas.js';

const TIMESTAMPED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z (.*)$/s;

/** Splits a kubelet line `2026-01-02T03:04:05.123456789Z text` into nanoseconds and text. */
export function parseLogLine(raw: string): LogLine {
  const m = TIMESTAMPED.exec(raw);
  if (!m) return { time_ns: null, text: raw };
  const seconds = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(seconds)) return { time_ns: null, text: raw };
  const fraction = BigInt((m[2] ?? '').padEnd(9, '0'));
  return { time_ns: (BigInt(seconds) * 1_000_000n + fraction).toString(), text: m[3] ?? '' };
}

/** A Writable that cuts a byte stream into lines (the last partial line is kept until the end). */
class LineSplitter extends Writable {
  private rest = '';
  bytes = 0;

  /** Set when the response stream failed (aborted by stop(), connection lost). */
  sourceError: Error | undefined;

  constructor(private readonly onLine: (line: LogLine) => void) {
    super({ decodeStrings: true });
    // client-node pipes the HTTP response into this stream without listening for its errors,
    // so aborting a follow would surface as an uncaught exception and take the process down.
    // The 'pipe' event hands us that source: listen on it, and end here when it fails.
    this.on('pipe', (source: NodeJS.ReadableStream) => {
      source.on('error', (error: Error) => {
        this.sourceError = error;
        if (!this.writableEnded && !this.destroyed) this.end();
      });
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    const text = this.rest + chunk.toString('utf8');
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.onLine(parseLogLine(line.replace(/\r$/, '')));
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.rest) this.onLine(parseLogLine(this.rest));
    this.rest = '';
    callback();
  }
}

export interface LogRequest {
  container?: string;
  tailLines?: number;
  previous?: boolean;
  sinceSeconds?: number;
}

export interface FollowHandle {
  container: string;
  /** Stops following (idempotent). */
  stop(): void;
}

export type PodLookup = (namespace: string, name: string) => V1Pod | undefined;

export class PodLogs {
  private readonly log: Log;

  constructor(
    kc: KubeConfig,
    private readonly pods: PodLookup,
    private readonly options: { readTimeoutMs: number } = { readTimeoutMs: 30_000 },
  ) {
    this.log = new Log(kc);
  }

  /** Checks the request against the cached pod and returns the container to read. */
  resolve(namespace: string, name: string, request: LogRequest): string {
    const pod = this.pods(namespace, name);
    if (!pod) throw Errors.notFound(`There is no pod "${name}" in namespace "${namespace}" among the watched pods`);
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    const names = specs.map((c) => c.name);
    const container =
      request.container ??
      pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ??
      pod.spec?.containers?.[0]?.name;
    if (!container || !names.includes(container)) {
      throw Errors.validation(`Pod "${name}" has no container "${container}"; choose one of: ${names.join(', ')}`, {
        fields: [{ path: '/querystring/container', message: `must be one of ${names.join(', ')}` }],
      });
    }
    const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find(
      (s) => s.name === container,
    );
    if (request.previous) {
      if (!status?.lastState?.terminated) {
        throw Errors.conflict(
          `Container "${container}" of pod "${name}" has no previous terminated instance (restarts: ${status?.restartCount ?? 0}); ask for the current logs`,
        );
      }
      return container;
    }
    const waiting = status?.state?.waiting;
    const hasRun = (status?.restartCount ?? 0) > 0 || status?.lastState?.terminated !== undefined;
    // A crash-looping container still has the logs of its last run; any other waiting one has none.
    if (!status || (waiting && !(waiting.reason === 'CrashLoopBackOff' && hasRun))) {
      throw Errors.conflict(
        `Container "${container}" of pod "${name}" has not started yet${waiting?.reason ? ` (${waiting.reason})` : ''}; there are no logs to read`,
      );
    }
    return container;
  }

  /** The last lines of a container's log. */
  async tail(
    namespace: string,
    name: string,
    request: LogRequest,
  ): Promise<{ container: string; lines: LogLine[]; truncated: boolean }> {
    const container = this.resolve(namespace, name, request);
    const tailLines = request.tailLines ?? LOG_LIMITS.defaultTailLines;
    if (tailLines === 0) return { container, lines: [], truncated: false };
    const lines: LogLine[] = [];
    const sink = new LineSplitter((line) => lines.push(line));
    const finished = new Promise<void>((resolve, reject) => {
      sink.on('finish', resolve);
      sink.on('error', reject);
    });
    const controller = await this.open(namespace, name, container, sink, {
      follow: false,
      tailLines,
      previous: request.previous ?? false,
      ...(request.sinceSeconds ? { sinceSeconds: request.sinceSeconds } : {}),
      limitBytes: LOG_LIMITS.limitBytes,
    });
    const timer = setTimeout(() => controller.abort(), this.options.readTimeoutMs);
    try {
      await Promise.race([
        finished,
        new Promise<never>((_, reject) =>
          controller.signal.addEventListener('abort', () =>
            reject(
              Errors.unavailable(`Reading the logs of pod "${name}" took longer than ${this.options.readTimeoutMs} ms`),
            ),
          ),
        ),
      ]);
    } finally {
      clearTimeout(timer);
    }
    return { container, lines, truncated: sink.bytes >= LOG_LIMITS.limitBytes };
  }

  /**
   * Follows a container's log: the last `tailLines` lines, then new ones as they are written,
   * until the container stops (onEnd) or stop() is called.
   */
  async follow(
    namespace: string,
    name: string,
    request: Omit<LogRequest, 'previous'>,
    onLine: (line: LogLine) => void,
    onEnd: (reason: string) => void,
  ): Promise<FollowHandle> {
    const container = this.resolve(namespace, name, request);
    let stopped = false;
    const sink = new LineSplitter((line) => {
      if (!stopped) onLine(line);
    });
    sink.on('finish', () => {
      if (!stopped) {
        stopped = true;
        onEnd('the log stream ended (the container stopped or the pod went away)');
      }
    });
    const tailLines = request.tailLines ?? 100;
    const controller = await this.open(namespace, name, container, sink, {
      follow: true,
      // client-node drops tailLines=0 (falsy); asking for lines since now means the same.
      ...(tailLines > 0 ? { tailLines } : { sinceTime: new Date().toISOString() }),
      ...(request.sinceSeconds ? { sinceSeconds: request.sinceSeconds } : {}),
    });
    return {
      container,
      stop() {
        if (stopped) return;
        stopped = true;
        controller.abort();
        sink.destroy();
      },
    };
  }

  private async open(
    namespace: string,
    name: string,
    container: string,
    sink: Writable,
    options: Parameters<Log['log']>[5] & object,
  ): Promise<AbortController> {
    try {
      return await this.log.log(namespace, name, container, sink, { ...options, timestamps: true });
    } catch (error) {
      throw this.translate(error, namespace, name, container);
    }
  }

  private translate(error: unknown, namespace: string, name: string, container: string): ApiError {
    if (error instanceof ApiError) return error;
    const code = (error as { code?: unknown }).code;
    switch (code) {
      case 404:
        return Errors.notFound(`Pod "${name}" in namespace "${namespace}" no longer exists`, { cause: error });
      case 400:
        return Errors.conflict(
          `The API server refused the logs of container "${container}" of pod "${name}" in its current state`,
          {
            cause: error,
          },
        );
      case 401:
      case 403:
        return Errors.unavailable(
          `The API server refused to serve pod logs (HTTP ${code}): the service account needs "get" on pods/log`,
          { cause: error },
        );
      default:
        return Errors.unavailable(
          `The API server could not serve the logs of pod "${name}": ${(error as Error).message}`,
          {
            cause: error,
          },
        );
    }
  }
}
