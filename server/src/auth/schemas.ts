// Route schemas of the token API and /whoami (TypeBox): validation, serialization and OpenAPI.
import { Type } from 'typebox';
import { DURATION_PATTERN } from '../registry/durations.js';
import { ROLES } from './roles.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const RoleSchema = Type.Enum([...ROLES], {
  description:
    'viewer: read; operator: breaker commands, config publish, rollouts, registry writes; admin: tokens, settings',
});

export const TokenSchema = Type.Object({
  id: Type.String({ description: 'Public id of the token (the part after `sbx_`)' }),
  name: Type.String(),
  role: RoleSchema,
  created_at: Type.Integer({ description: 'Epoch ms' }),
  created_by: Type.String({ description: 'Name of the principal that created it' }),
  expires_at: Nullable(Type.Integer({ description: 'Epoch ms; null: until revoked' })),
  last_used_at: Nullable(Type.Integer({ description: 'Epoch ms, to the minute' })),
  revoked_at: Nullable(Type.Integer({ description: 'Epoch ms' })),
  revoked_by: Nullable(Type.String()),
});

export const CreatedTokenSchema = Type.Intersect([
  TokenSchema,
  Type.Object({
    token: Type.String({
      description: 'The token to send as `Authorization: Bearer <token>`. Shown this once: only its hash is stored',
    }),
  }),
]);

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: '^[^\\u0000-\\u001f]+$',
      description: 'Who or what uses it, e.g. "ci-deploy" or "alice"',
    }),
    role: RoleSchema,
    expires_in: Type.Optional(
      Type.String({
        pattern: DURATION_PATTERN,
        maxLength: 32,
        description: 'Lifetime, e.g. "720h"; none: until revoked',
      }),
    ),
  },
  { additionalProperties: false },
);

export const TokenListQuery = Type.Object(
  { include_revoked: Type.Optional(Type.Boolean({ description: 'Also list revoked tokens (default false)' })) },
  { additionalProperties: false },
);

export const TokenListSchema = Type.Object({ tokens: Type.Array(TokenSchema) });

export const TokenParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const RevokeQuery = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 500, description: 'Why, for the audit log' })) },
  { additionalProperties: false },
);

export const WhoAmISchema = Type.Object({
  kind: Type.Enum(['token', 'bootstrap', 'agent', 'open', 'system'], {
    description:
      'token: an API token; bootstrap: SIGNALBOX_ADMIN_TOKEN; agent: the ingest token; open: no token needed (open mode)',
  }),
  id: Type.String(),
  name: Type.String(),
  role: Nullable(RoleSchema),
  open_mode: Type.Boolean({ description: 'True when the API needs no token at all (no token is configured)' }),
});
