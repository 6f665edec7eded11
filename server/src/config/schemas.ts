// Route schemas of the configuration API (TypeBox): request validation, response serialization
// and the OpenAPI document.
import { Type } from 'typebox';
import { DURATION_PATTERN } from '../registry/durations.js';
import { INSTANCE_ID_PATTERN, SERVICE_NAME_PATTERN } from '../registry/registration.js';

export const ENVIRONMENT_PATTERN = '^[a-z0-9][a-z0-9._-]{0,62}$';
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
export const Duration = (description: string) => Type.String({ pattern: DURATION_PATTERN, maxLength: 32, description });
const Json = (description: string) => Type.Unknown({ description });

export const DocParams = Type.Object({
  service: Type.String({ pattern: SERVICE_NAME_PATTERN, description: 'Service name' }),
  environment: Type.String({ pattern: ENVIRONMENT_PATTERN, description: 'Environment, e.g. production' }),
});
export const VersionParams = Type.Object({
  ...DocParams.properties,
  version: Type.Integer({ minimum: 1 }),
});

export const VersionSchema = Type.Object({
  service: Type.String(),
  environment: Type.String(),
  version: Type.Integer(),
  content: Json('The document (any JSON)'),
  author: Type.String({ description: 'Who published it (token name)' }),
  message: Type.String(),
  created_at: Type.Integer({ description: 'epoch ms' }),
  restored_from: Nullable(Type.Integer({ description: 'Set on a rollback: the version republished' })),
  rollout_id: Nullable(Type.String({ description: 'Set when published through a staged rollout' })),
});

export const DocumentSchema = Type.Object({
  service: Type.String(),
  environment: Type.String(),
  schema: Json('JSON Schema every version must satisfy, or null'),
  latest_version: Type.Integer(),
  stable_version: Type.Integer({ description: 'What instances outside a baking canary run' }),
  updated_at: Type.Integer(),
  content: Json('The latest version’s document'),
  active_rollout_id: Nullable(Type.String()),
});

export const DocumentListSchema = Type.Object({
  documents: Type.Array(
    Type.Object({
      service: Type.String(),
      environment: Type.String(),
      latest_version: Type.Integer(),
      stable_version: Type.Integer(),
      updated_at: Type.Integer(),
      has_schema: Type.Boolean(),
      active_rollout_id: Nullable(Type.String()),
    }),
  ),
});

export const PublishBody = Type.Object(
  {
    content: Json('The new document'),
    base_version: Type.Integer({
      minimum: 0,
      description: 'The version you started from (0 for the first); 409 when another landed since',
    }),
    message: Type.String({ minLength: 1, maxLength: 2000, description: 'Why (shown in history and the audit log)' }),
  },
  { additionalProperties: false },
);

export const RollbackBody = Type.Object(
  {
    to_version: Type.Integer({ minimum: 1, description: 'The version whose content is published again' }),
    base_version: Type.Integer({
      minimum: 0,
      description: 'The latest version you saw; 409 when another landed since',
    }),
    message: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const SchemaBody = Type.Object(
  { schema: Json('A JSON Schema object (draft 2020-12 / 07 keywords), or null to remove it') },
  { additionalProperties: false },
);

export const HistoryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'Versions older than this one' })),
});
export const HistorySchema = Type.Object({ versions: Type.Array(VersionSchema) });

export const DiffQuery = Type.Object({
  from: Type.Integer({ minimum: 0, description: 'Older version (0: the empty document)' }),
  to: Type.Integer({ minimum: 1 }),
});
export const DiffSchema = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  operations: Type.Array(
    Type.Object({
      op: Type.String(),
      path: Type.String(),
      value: Type.Optional(Type.Unknown()),
      from: Type.Optional(Type.String()),
    }),
    { description: 'RFC 6902 JSON Patch turning `from` into `to`' },
  ),
  delta: Json('jsondiffpatch delta (its documented format) for side-by-side rendering; null when equal'),
});

export const InstancesSchema = Type.Object({
  service: Type.String(),
  environment: Type.String(),
  instances: Type.Array(
    Type.Object({
      instance_id: Type.String(),
      live: Type.Boolean({ description: 'Registered and not removed' }),
      desired_version: Nullable(Type.Integer()),
      applied_version: Nullable(Type.Integer({ description: 'What it last said it runs' })),
      applied_at: Nullable(Type.Integer()),
      last_ack: Nullable(
        Type.Object({
          version: Type.Integer(),
          status: Type.String(),
          reason: Nullable(Type.String()),
          at: Type.Integer(),
        }),
      ),
      in_sync: Type.Boolean(),
      canary: Type.Boolean({ description: 'In the canary of the baking rollout' }),
    }),
  ),
});

export const AckBody = Type.Object(
  {
    instance_id: Type.String({ pattern: INSTANCE_ID_PATTERN }),
    version: Type.Integer({ minimum: 1 }),
    status: Type.Enum(['applied', 'rejected']),
    reason: Type.Optional(Type.String({ maxLength: 4000, description: 'Why it was rejected' })),
  },
  { additionalProperties: false },
);

export const ChannelQuery = Type.Object({
  instance_id: Type.String({ pattern: INSTANCE_ID_PATTERN }),
  config_version: Type.Optional(
    Type.Integer({ minimum: 0, description: 'The version the agent runs (nothing re-sent for it)' }),
  ),
  commands_revision: Type.Optional(
    Type.String({ maxLength: 64, description: 'The breaker command revision the agent has' }),
  ),
  wait: Type.Optional(Duration('Long-poll: longest wait for a change (default 25s, at most 60s)')),
});

const CommandSetSchema = Type.Object({
  revision: Type.String(),
  commands: Type.Array(
    Type.Object({
      id: Type.String(),
      action: Type.String(),
      breaker: Nullable(Type.String()),
      reason: Type.String(),
      created_at: Type.Integer(),
      expires_at: Type.Integer(),
    }),
  ),
});

export const PollSchema = Type.Object({
  changed: Type.Boolean({ description: 'False when the wait ended with nothing new' }),
  config: Nullable(
    Type.Object({ version: Type.Integer(), content: Type.Unknown(), rollout_id: Nullable(Type.String()) }),
  ),
  breakers: CommandSetSchema,
});
