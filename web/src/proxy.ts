// Next's request proxy (it runs before routes): a whole trace skips the /api/v1 route handler
// and goes to the API through Next's own proxy, so its compressed bytes pass through as they
// are (lib/api-proxy.ts says why). Every other request goes on to the routes.
import { type NextRequest, NextResponse } from 'next/server';
import { passThroughTarget, TOKEN_COOKIE } from './lib/api-proxy';
import { webSettings } from './lib/settings';

export function proxy(request: NextRequest): NextResponse {
  const target = passThroughTarget(request, {
    apiUrl: webSettings().apiUrl,
    token: request.cookies.get(TOKEN_COOKIE)?.value,
  });
  return target ? NextResponse.rewrite(target.url, { request: { headers: target.headers } }) : NextResponse.next();
}

export const config = { matcher: '/api/v1/traces/:traceId/compact' };
