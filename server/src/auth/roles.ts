// The three roles of API tokens and what each may do. Roles are ordered: a higher role may do
// everything a lower one may.
//   viewer   — read everything (GET)
//   operator — change the fleet: breaker commands, config publish, rollouts, registry writes
//   admin    — manage access: tokens, settings
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** True when a principal with role `have` may call a route that needs `need`. */
export function roleAllows(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

/** The role a route needs when it declares none: reads are for viewers, writes for operators. */
export function defaultRoleFor(method: string): Role {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'viewer' : 'operator';
}
