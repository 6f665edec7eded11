// The one road from the browser to the Signalbox API: /api/v1/* on the dashboard is forwarded
// to the same path on SIGNALBOX_API_URL, with the sign-in cookie turned into a bearer token.
// Responses stream through (Server-Sent Events included); a server that does not answer
// becomes a 502 problem+json the pages show like any other API error.
//
// Compression happens once. Next drops a route handler's Content-Encoding and gzips its body
// itself, so the handler asks the API for an uncompressed body (else fetch would inflate what
// the API deflated, only for Next to deflate it again). A whole trace is megabytes of JSON,
// too much to pass through a route handler at all: its one path is rewritten instead (see
// src/proxy.ts) to Next's own proxy, which streams the API's gzip through untouched.
import { TOKEN_COOKIE } from './auth';

/** Request headers passed to the API; everything else (cookies above all) stays here. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'if-match', 'if-none-match', 'last-event-id'];
/** Response headers passed back; hop-by-hop and encoding headers are the fetch layer's business. */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'content-length',
  'set-cookie',
]);

export interface ProxyProblem {
  status: number;
  title: string;
  detail: string;
  code: string;
}

/** The API URL for a dashboard path, or a problem when the path tries to leave /api/v1. */
export function upstreamUrl(apiUrl: string, segments: readonly string[], search: string): URL | ProxyProblem {
  if (segments.length === 0 || segments.some((s) => s === '' || s === '.' || s === '..')) {
    return {
      status: 400,
      title: 'Bad request',
      code: 'SB_WEB_BAD_PATH',
      detail: `"/api/v1/${segments.join('/')}" is not an API path`,
    };
  }
  const path = segments.map((segment) => encodeURIComponent(segment)).join('/');
  return new URL(`${apiUrl}/api/v1/${path}${search}`);
}

export function upstreamHeaders(incoming: Headers, token: string | undefined): Headers {
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = incoming.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (token) headers.set('authorization', `Bearer ${token}`);
  headers.set('accept-encoding', 'identity');
  return headers;
}

export function downstreamHeaders(upstream: Headers): Headers {
  const headers = new Headers();
  upstream.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) headers.set(name, value);
  });
  if ((upstream.get('content-type') ?? '').startsWith('text/event-stream')) {
    // no-transform keeps Next's gzip from buffering the stream; X-Accel-Buffering does the
    // same for an nginx in front.
    headers.set('cache-control', 'no-cache, no-transform');
    headers.set('x-accel-buffering', 'no');
  }
  return headers;
}

export function problemResponse(problem: ProxyProblem): Response {
  return new Response(
    JSON.stringify({
      type: `https://signalbox.dev/problems/${problem.code.toLowerCase().replaceAll('_', '-')}`,
      ...problem,
    }),
    { status: problem.status, headers: { 'content-type': 'application/problem+json' } },
  );
}

/** GET /api/v1/traces/{id}/compact: the route that skips the route handler. */
const PASS_THROUGH = /^\/api\/v1\/traces\/[0-9a-fA-F]{32}\/compact$/;

export function isPassThroughPath(pathname: string): boolean {
  return PASS_THROUGH.test(pathname);
}

/**
 * Where the rewrite for a pass-through request goes, and the only headers it takes (the
 * token from the cookie, the browser's Accept-Encoding); null for every other request.
 */
export function passThroughTarget(
  request: { method: string; url: string; headers: Headers },
  options: { apiUrl: string; token: string | undefined },
): { url: URL; headers: Headers } | null {
  const url = new URL(request.url);
  if (request.method !== 'GET' || !isPassThroughPath(url.pathname)) return null;
  const headers = upstreamHeaders(request.headers, options.token);
  headers.delete('accept-encoding');
  const encoding = request.headers.get('accept-encoding');
  if (encoding !== null) headers.set('accept-encoding', encoding);
  return { url: new URL(`${options.apiUrl}${url.pathname}${url.search}`), headers };
}

/**
 * What the browser is told when a pass-through request fails in Next's own proxy. Its answer is
 * then a bare 500 (Next has no hook for a rewrite whose target does not answer); the API's own
 * 500s are always problem+json, so a bare 500 on that path means the API did not answer.
 */
export function passThroughFailure(status: number, detail: string): ProxyProblem {
  return {
    status: 502,
    title: 'API unreachable',
    code: 'SB_WEB_API_UNREACHABLE',
    detail: `The dashboard could not reach the Signalbox API for this request (HTTP ${status}${detail ? `: ${detail}` : ''}). Is signalbox-server running, and is SIGNALBOX_API_URL right?`,
  };
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

/** Forwards one request. `segments` are the decoded path segments after /api/v1. */
export async function forwardToApi(
  request: Request,
  segments: readonly string[],
  options: { apiUrl: string; token: string | undefined },
): Promise<Response> {
  const url = new URL(request.url);
  const target = upstreamUrl(options.apiUrl, segments, url.search);
  if (!(target instanceof URL)) return problemResponse(target);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers: upstreamHeaders(request.headers, options.token),
      // API bodies are small (the server caps them at 1 MiB), so reading them whole is fine.
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: 'manual',
      cache: 'no-store',
      // When the browser goes away (a closed tab, a paused live tail) the API request ends too.
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    return problemResponse({
      status: 502,
      title: 'API unreachable',
      code: 'SB_WEB_API_UNREACHABLE',
      detail: `The Signalbox API at ${options.apiUrl} does not answer (${describeFetchError(error)}). Is signalbox-server running, and is SIGNALBOX_API_URL right?`,
    });
  }
  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: downstreamHeaders(upstream.headers),
  });
}

export { TOKEN_COOKIE };
