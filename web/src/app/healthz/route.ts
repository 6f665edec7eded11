// Liveness for the dashboard's container probes: answers without calling the API, so a
// control plane that is down does not get the dashboard restarted too.
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ status: 'ok' });
}
