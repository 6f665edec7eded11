// Route schemas of the staged rollout API (TypeBox).
import { Type } from 'typebox';
import { INSTANCE_ID_PATTERN } from '../registry/registration.js';
import { DocParams, Duration } from './schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const RolloutParams = Type.Object({ ...DocParams.properties, id: Type.String({ format: 'uuid' }) });

export const StartRolloutBody = Type.Object(
  {
    content: Type.Unknown({ description: 'The new document' }),
    base_version: Type.Integer({
      minimum: 0,
      description: 'The latest version you saw; 409 when another landed since',
    }),
    message: Type.String({ minLength: 1, maxLength: 2000 }),
    canary: Type.Object(
      {
        percent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Share of instances' })),
        instances: Type.Optional(
          Type.Array(Type.String({ pattern: INSTANCE_ID_PATTERN }), { minItems: 1, maxItems: 1000, uniqueItems: true }),
        ),
      },
      { additionalProperties: false, description: 'Exactly one of percent or instances' },
    ),
    bake: Duration('How long the canary bakes before promotion, e.g. "2m"'),
    thresholds: Type.Optional(
      Type.Object(
        {
          max_error_rate_increase: Type.Optional(
            Type.Number({ minimum: 0, maximum: 1, description: 'Absolute, e.g. 0.05 (default)' }),
          ),
          max_p95_ratio: Type.Optional(
            Type.Number({ minimum: 1, description: 'Canary p95 / baseline p95, default 1.5' }),
          ),
          min_requests: Type.Optional(
            Type.Integer({ minimum: 1, description: 'Requests each side needs before a verdict, default 20' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    auto_promote: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'Promote by itself after a bake without regression; false: a person promotes. A regression is always rolled back by itself',
      }),
    ),
  },
  { additionalProperties: false },
);

export const DecisionBody = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
  { additionalProperties: false },
);

const Figures = Type.Object({
  instances: Type.Array(Type.String()),
  requests: Type.Integer(),
  errors: Type.Integer(),
  error_rate: Type.Number(),
  p95_ms: Nullable(Type.Number()),
});

export const RolloutSchema = Type.Object({
  id: Type.String(),
  service: Type.String(),
  environment: Type.String(),
  version: Type.Integer({ description: 'The version the canary runs' }),
  base_version: Type.Integer({ description: 'The stable version it started from' }),
  canary: Type.Object({
    percent: Nullable(Type.Integer({ description: 'The share asked for, when given as a percent' })),
    instances: Nullable(
      Type.Array(Type.String(), {
        description:
          'The canary instances, fixed at the start (a percent is rounded up to whole live instances, at least one)',
      }),
    ),
  }),
  bake_ms: Type.Integer(),
  thresholds: Type.Object({
    max_error_rate_increase: Type.Number(),
    max_p95_ratio: Type.Number(),
    min_requests: Type.Integer(),
  }),
  auto_promote: Type.Boolean(),
  status: Type.String({ description: 'baking | promoted | rolled_back | aborted' }),
  started_at: Type.Integer(),
  canary_applied_at: Nullable(
    Type.Integer({
      description:
        'When every canary instance had acknowledged the version as applied: the figures count and the bake runs from then; null while waiting',
    }),
  ),
  bake_until: Type.Integer({ description: 'Once the canary applied: its applied time plus the bake' }),
  finished_at: Nullable(Type.Integer()),
  decision_reason: Nullable(Type.String()),
  comparison: Nullable(
    Type.Object({
      canary: Figures,
      baseline: Figures,
      from_ms: Type.Integer(),
      to_ms: Type.Integer(),
    }),
  ),
  rollback_version: Nullable(Type.Integer({ description: 'The version a rollback or abort published' })),
  steps: Type.Optional(
    Type.Array(Type.Object({ at: Type.Integer(), step: Type.String(), actor: Type.String(), detail: Type.Unknown() })),
  ),
});

export const RolloutListSchema = Type.Object({ rollouts: Type.Array(RolloutSchema) });
