// Asks the API who a token is (or whether no token is needed at all: open mode). Used by the
// sign-in page and the frame; the API is the judge, the dashboard keeps no user list of its own.
import type { paths } from '../api/schema.generated';

export const WHOAMI_PATH = '/api/v1/whoami' satisfies keyof paths;

type WhoamiResponse = paths[typeof WHOAMI_PATH]['get']['responses'][200]['content']['application/json'];
export type Identity = Pick<WhoamiResponse, 'kind' | 'name' | 'role' | 'open_mode'>;

export type TokenCheck =
  | { ok: true; who: Identity }
  | { ok: false; reason: 'rejected' | 'forbidden' | 'unreachable' | 'unexpected'; detail: string };

async function problemDetail(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { detail?: unknown };
    if (typeof body.detail === 'string') return body.detail;
  } catch {
    // not JSON
  }
  return `HTTP ${response.status}`;
}

export async function checkToken(apiUrl: string, token: string | undefined): Promise<TokenCheck> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}${WHOAMI_PATH}`, {
      headers: token
        ? { authorization: `Bearer ${token}`, accept: 'application/json' }
        : { accept: 'application/json' },
      cache: 'no-store',
      signal: AbortSignal.timeout(5_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return { ok: false, reason: 'unreachable', detail: `The Signalbox API at ${apiUrl} does not answer (${cause}).` };
  }
  if (response.ok) {
    const who = (await response.json()) as Identity;
    return { ok: true, who: { kind: who.kind, name: who.name, role: who.role, open_mode: who.open_mode } };
  }
  const detail = await problemDetail(response);
  if (response.status === 401) return { ok: false, reason: 'rejected', detail };
  if (response.status === 403) return { ok: false, reason: 'forbidden', detail };
  return { ok: false, reason: 'unexpected', detail };
}
