// Route schemas of the breakers API (TypeBox).
import { Type } from 'typebox';
import { Duration, ENVIRONMENT_PATTERN } from '../config/schemas.js';
import { INSTANCE_ID_PATTERN, SERVICE_NAME_PATTERN } from '../registry/registration.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
export const BREAKER_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$';
const State = Type.Enum(['closed', 'open', 'half_open']);

const Counts = Type.Object({
  calls: Type.Integer({ minimum: 0, description: 'In the sliding window' }),
  successes: Type.Integer({ minimum: 0 }),
  failures: Type.Integer({ minimum: 0 }),
  slow_calls: Type.Integer({ minimum: 0 }),
  rejections: Type.Integer({ minimum: 0, description: 'Short-circuited while open' }),
  fallbacks: Type.Integer({ minimum: 0 }),
  timeouts: Type.Integer({ minimum: 0 }),
  failure_rate: Type.Number({ minimum: 0, maximum: 1 }),
  slow_call_rate: Type.Number({ minimum: 0, maximum: 1 }),
});

export const ReportBody = Type.Object(
  {
    service: Type.String({ pattern: SERVICE_NAME_PATTERN }),
    environment: Type.String({ pattern: ENVIRONMENT_PATTERN }),
    instance_id: Type.String({ pattern: INSTANCE_ID_PATTERN }),
    breakers: Type.Array(
      Type.Object({
        name: Type.String({ pattern: BREAKER_NAME_PATTERN }),
        dependency: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
        state: State,
        forced: Type.Optional(Nullable(Type.Enum(['open', 'closed']))),
        counts: Counts,
        transitions: Type.Array(
          Type.Object({
            from: Type.String({ maxLength: 32 }),
            to: Type.String({ maxLength: 32 }),
            at: Type.Integer({ minimum: 0 }),
            reason: Type.String({ maxLength: 500 }),
          }),
          { maxItems: 500 },
        ),
      }),
      { maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);

export const FleetQuery = Type.Object({
  service: Type.Optional(Type.String({ pattern: SERVICE_NAME_PATTERN })),
  instance_id: Type.Optional(Type.String({ pattern: INSTANCE_ID_PATTERN })),
  dependency: Type.Optional(Type.String({ maxLength: 200 })),
});

export const FleetSchema = Type.Object({
  services: Type.Array(
    Type.Object({
      service: Type.String(),
      breakers: Type.Array(
        Type.Object({
          name: Type.String(),
          dependency: Nullable(Type.String()),
          states: Type.Object(
            { closed: Type.Integer(), open: Type.Integer(), half_open: Type.Integer() },
            { description: 'Instances per state' },
          ),
          instances: Type.Array(
            Type.Object({
              instance_id: Type.String(),
              environment: Type.String(),
              state: Type.String(),
              forced: Nullable(Type.String({ description: 'open | closed while an operator command holds it' })),
              counts: Counts,
              updated_at: Type.Integer({ description: 'When the agent last reported' }),
            }),
          ),
        }),
      ),
    }),
  ),
});

export const TransitionsQuery = Type.Object({
  service: Type.Optional(Type.String({ pattern: SERVICE_NAME_PATTERN })),
  instance_id: Type.Optional(Type.String({ pattern: INSTANCE_ID_PATTERN })),
  name: Type.Optional(Type.String({ pattern: BREAKER_NAME_PATTERN })),
  from: Type.Optional(Type.Integer({ minimum: 0, description: 'epoch ms' })),
  to: Type.Optional(Type.Integer({ minimum: 0, description: 'epoch ms' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});

export const TransitionsSchema = Type.Object({
  transitions: Type.Array(
    Type.Object({
      instance_id: Type.String(),
      service: Type.String(),
      name: Type.String(),
      from: Type.String(),
      to: Type.String(),
      reason: Type.String(),
      at: Type.Integer(),
    }),
  ),
});

export const CommandBody = Type.Object(
  {
    action: Type.Enum(['force_open', 'force_closed', 'reset']),
    scope: Type.Enum(['instance', 'service', 'fleet']),
    service: Type.Optional(Type.String({ pattern: SERVICE_NAME_PATTERN })),
    instance_id: Type.Optional(Type.String({ pattern: INSTANCE_ID_PATTERN })),
    breaker: Type.Optional(
      Type.String({ pattern: BREAKER_NAME_PATTERN, description: 'One breaker by name; omit for all' }),
    ),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
    expires_in: Type.Optional(
      Duration('How long a force holds (default 10m, at most 24h); a reset is delivered within 1m'),
    ),
  },
  { additionalProperties: false },
);

export const CommandSchema = Type.Object({
  id: Type.String(),
  action: Type.String(),
  scope: Type.String(),
  service: Nullable(Type.String()),
  instance_id: Nullable(Type.String()),
  breaker: Nullable(Type.String()),
  reason: Type.String(),
  created_at: Type.Integer(),
  created_by: Type.String(),
  expires_at: Type.Integer(),
  status: Type.String({ description: 'active | expired | cancelled' }),
  ended_at: Nullable(Type.Integer()),
  acks: Type.Array(
    Type.Object({
      instance_id: Type.String(),
      status: Type.String(),
      detail: Nullable(Type.String()),
      at: Type.Integer(),
    }),
  ),
});

export const CommandParams = Type.Object({ id: Type.String({ pattern: '^cmd_[a-f0-9]{16}$' }) });
export const CommandListQuery = Type.Object({
  status: Type.Optional(Type.Enum(['active', 'expired', 'cancelled'])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});
export const CancelBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export const CommandAckBody = Type.Object(
  {
    instance_id: Type.String({ pattern: INSTANCE_ID_PATTERN }),
    status: Type.Enum(['applied', 'released', 'rejected']),
    detail: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
