// Route schemas of the audit API (TypeBox).
import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 200, description: "The actor's token id or name" })),
    action: Type.Optional(
      Type.String({
        pattern: '^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*(\\.\\*)?$',
        maxLength: 100,
        description: 'One action (`token.create`) or all of a target (`config.*`)',
      }),
    ),
    target_type: Type.Optional(Type.String({ maxLength: 100 })),
    target_id: Type.Optional(Type.String({ maxLength: 300 })),
    service: Type.Optional(Type.String({ maxLength: 200 })),
    from: Type.Optional(Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive' })),
    to: Type.Optional(Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive' })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: '`next_cursor` of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Page size (default 100)' })),
  },
  { additionalProperties: false },
);

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.Integer({ description: 'Epoch ms' }),
  actor: Type.Object({
    kind: Type.Enum(['token', 'bootstrap', 'agent', 'open', 'system']),
    id: Type.String({ description: 'Token id, or the kind for the others' }),
    name: Type.String(),
  }),
  action: Type.String({ description: '<target>.<verb>, e.g. token.create, config.publish' }),
  target_type: Type.String(),
  target_id: Type.String(),
  service: Nullable(Type.String()),
  before: Type.Unknown({ description: 'State before the change (null: none)' }),
  after: Type.Unknown({ description: 'State after the change (null: none)' }),
  reason: Nullable(Type.String()),
});

export const AuditPageSchema = Type.Object({
  entries: Type.Array(AuditEntrySchema, { description: 'Newest first' }),
  next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` for older entries; null on the last page' })),
});
