// How the dashboard holds the user's API token: an httpOnly cookie that page scripts cannot
// read. The API proxy turns it into `Authorization: Bearer …` on the way to the server, so the
// token never reaches browser JavaScript and the API needs no CORS.
export const TOKEN_COOKIE = 'signalbox_token';
/** How long the browser keeps the cookie; the server decides whether the token is still valid. */
export const TOKEN_COOKIE_MAX_AGE_S = 30 * 24 * 3600; // 30 days

/** Only same-site paths are followed after sign-in, so `?next=` cannot send the user elsewhere. */
export function safeNextPath(raw: string | null | undefined): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (raw.startsWith('/sign-in')) return '/';
  return raw;
}
