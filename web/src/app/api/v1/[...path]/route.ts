// Catch-all API proxy: the browser only ever talks to this origin (see lib/api-proxy.ts).
import type { NextRequest } from 'next/server';
import { forwardToApi, TOKEN_COOKIE } from '../../../../lib/api-proxy';
import { webSettings } from '../../../../lib/settings';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ path: string[] }> };

async function handle(request: NextRequest, context: Context): Promise<Response> {
  const { path } = await context.params;
  return forwardToApi(request, path, {
    apiUrl: webSettings().apiUrl,
    token: request.cookies.get(TOKEN_COOKIE)?.value,
  });
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
