'use client';
// What the signed-in token may do, from GET /api/v1/whoami. Pages hide the actions a role may
// not perform (the API refuses them anyway with 403; hiding saves a pointless click). Roles are
// ordered like the server's: viewer < operator < admin. In open mode (no token configured, on
// loopback) the API lets everything through, so every action shows.
import { $api } from '../../api/client';
import type { Role, Whoami } from '../../api/ops-types';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function roleAllows(who: Whoami | undefined, need: Role): boolean {
  if (!who) return false;
  if (who.open_mode) return true;
  return who.role !== null && RANK[who.role] >= RANK[need];
}

export function useAccess() {
  // The role of a token does not change while it lives: no polling.
  const who = $api.useQuery('get', '/api/v1/whoami', {}, { staleTime: 5 * 60_000, refetchInterval: false });
  return {
    who: who.data,
    isPending: who.isPending,
    can: (need: Role) => roleAllows(who.data, need),
  };
}
