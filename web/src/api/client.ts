// The typed API client the pages use: openapi-fetch over the generated types, talking to the
// dashboard's own origin (the /api/v1 proxy adds the token), and TanStack Query hooks keyed by
// [method, path, params] through openapi-react-query. This is the only data layer.
import createClient, { type Middleware } from 'openapi-fetch';
import createQueryHooks from 'openapi-react-query';
import { isPassThroughPath, passThroughFailure, problemResponse } from '../lib/api-proxy';
import type { paths } from './schema.generated';

export function signInHref(): string {
  const here = `${window.location.pathname}${window.location.search}`;
  return `/sign-in?next=${encodeURIComponent(here)}`;
}

/** Turns answers that are not problem+json (a proxy's HTML 502, say) into problem+json. */
export const problemsMiddleware: Middleware = {
  async onResponse({ request, response }) {
    if (response.ok) return undefined;
    if (response.status === 401 && typeof window !== 'undefined') {
      // The token is missing, expired or revoked: go and get one, then come back here.
      window.location.assign(signInHref());
    }
    if ((response.headers.get('content-type') ?? '').includes('json')) return undefined;
    const text = await response.clone().text();
    if (
      response.status === 500 &&
      isPassThroughPath(new URL(response.url || request?.url || '/', 'http://x').pathname)
    ) {
      return problemResponse(passThroughFailure(response.status, text.trim().slice(0, 200)));
    }
    return new Response(
      JSON.stringify({
        status: response.status,
        title: response.statusText || `HTTP ${response.status}`,
        detail: text.slice(0, 500) || `The request failed with HTTP ${response.status}.`,
      }),
      { status: response.status, headers: { 'content-type': 'application/problem+json' } },
    );
  },
};

export const apiClient = createClient<paths>({ baseUrl: '' });
apiClient.use(problemsMiddleware);

export const $api = createQueryHooks(apiClient);
