// Browsers and bookmarking tools ask for /favicon.ico whatever a page declares; Chromium does so
// when it looks for a page's icon before the page's own <link rel="icon"> has streamed in. The
// dashboard's icon is app/icon.svg, so they are sent there rather than answered 404 (which the
// browser also logs as an error on the page).
export function GET(): Response {
  // A relative Location: the dashboard may sit behind a proxy under another host name.
  return new Response(null, { status: 308, headers: { Location: '/icon.svg' } });
}
