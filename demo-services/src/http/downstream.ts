// Calls to another service over HTTP (fetch, which the agent's undici instrumentation turns
// into CLIENT spans carrying traceparent). Every attempt has a timeout; requests that are safe
// to repeat are retried on connection errors, timeouts and 502/503/504 with capped exponential
// backoff, never past the call's deadline. `#attempt` is the single place each request leaves
// the process: the circuit breaker of the Operations issue wraps exactly that.

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Safe to send again (GET, or a POST carrying an idempotency key). */
  idempotent?: boolean;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
}

export interface DownstreamResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, else the text. */
  body: unknown;
  attempts: number;
}

export type DownstreamFailure = 'timeout' | 'unavailable';

/** No usable response: the peer timed out or could not be reached, after every allowed attempt. */
export class DownstreamError extends Error {
  constructor(
    readonly dependency: string,
    readonly failure: DownstreamFailure,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(
      failure === 'timeout'
        ? `${dependency} did not answer in time (${attempts} attempt${attempts === 1 ? '' : 's'})`
        : `${dependency} is unavailable (${attempts} attempt${attempts === 1 ? '' : 's'})`,
      options,
    );
    this.name = 'DownstreamError';
  }
}

/** One request leaving the process; what a circuit breaker wraps. */
export type Attempt = (
  method: string,
  path: string,
  options: CallOptions,
  timeoutMs: number,
) => Promise<Omit<DownstreamResponse, 'attempts'>>;

/** A 5xx answer, thrown inside the breaker so it counts as a failure; the caller still gets the response. */
export class ServerErrorResponse extends Error {
  constructor(readonly response: Omit<DownstreamResponse, 'attempts'>) {
    super(`answered ${response.status}`);
    this.name = 'ServerErrorResponse';
  }
}

/** Header of the answer a breaker's fallback gives while the breaker is open (no request was sent). */
export const BREAKER_OPEN_HEADER = 'x-demo-breaker';

export interface DownstreamOptions {
  /** The service called, as it is named in the fleet (used in errors and, later, breaker names). */
  name: string;
  baseUrl: string;
  timeoutMs: number;
  /** Extra attempts after the first, for idempotent calls. */
  retries: number;
  /** First retry delay; doubles per retry, with jitter. */
  backoffMs?: number;
  /** Longest single delay between attempts. */
  maxBackoffMs?: number;
  /** Wraps each attempt (the agent's circuit breaker); absent: attempts go straight out. */
  wrap?: (attempt: Attempt) => Attempt;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

export class Downstream {
  readonly name: string;
  readonly #options: Required<Omit<DownstreamOptions, 'wrap'>>;
  readonly #send: Attempt;

  constructor(options: DownstreamOptions) {
    this.name = options.name;
    const { wrap, ...rest } = options;
    this.#options = { backoffMs: 50, maxBackoffMs: 1000, ...rest };
    const plain: Attempt = (method, path, callOptions, timeoutMs) =>
      this.#attempt(method, path, callOptions, timeoutMs);
    if (wrap) {
      // Inside the breaker a 5xx is thrown so it counts as a failure; out here it is a response again.
      const wrapped = wrap(async (method, path, callOptions, timeoutMs) => {
        const response = await plain(method, path, callOptions, timeoutMs);
        if (response.status >= 500) throw new ServerErrorResponse(response);
        return response;
      });
      this.#send = async (method, path, callOptions, timeoutMs) => {
        try {
          return await wrapped(method, path, callOptions, timeoutMs);
        } catch (error) {
          if (error instanceof ServerErrorResponse) return error.response;
          throw error;
        }
      };
    } else {
      this.#send = plain;
    }
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<DownstreamResponse> {
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs;
    const retries = options.idempotent ? this.#options.retries : 0;
    // The deadline bounds the whole call: every attempt's timeout plus the backoff between.
    const deadline = Date.now() + timeoutMs * (retries + 1) + this.#options.maxBackoffMs * retries;
    let attempts = 0;
    let lastError: unknown;
    for (;;) {
      attempts++;
      const remaining = deadline - Date.now();
      try {
        const response = await this.#send(method, path, options, Math.min(timeoutMs, remaining));
        // An open breaker's answer: retrying would only ask the breaker again.
        const shortCircuited = response.headers.has(BREAKER_OPEN_HEADER);
        if (!RETRYABLE_STATUS.has(response.status) || attempts > retries || shortCircuited) {
          return { ...response, attempts };
        }
        lastError = undefined;
      } catch (error) {
        lastError = error;
      }
      const delay = this.#backoff(attempts);
      if (attempts > retries || Date.now() + delay >= deadline) {
        const timedOut = lastError instanceof Error && lastError.name === 'TimeoutError';
        throw new DownstreamError(this.name, timedOut ? 'timeout' : 'unavailable', attempts, { cause: lastError });
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  async #attempt(
    method: string,
    path: string,
    options: CallOptions,
    timeoutMs: number,
  ): Promise<Omit<DownstreamResponse, 'attempts'>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(this.#options.baseUrl + path, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(Math.max(1, timeoutMs)),
    });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('json') ?? false;
    let parsed: unknown = text;
    if (isJson && text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        // a peer that says JSON and sends something else: hand the text on
      }
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  #backoff(attempt: number): number {
    const base = Math.min(this.#options.backoffMs * 2 ** (attempt - 1), this.#options.maxBackoffMs);
    return base / 2 + Math.random() * (base / 2);
  }
}
