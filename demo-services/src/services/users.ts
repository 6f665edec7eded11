// users: sign-up and profiles. Publishes user.created; counts each user's confirmed orders from
// order.confirmed events (an eventually consistent read model, as a real shop would keep).
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../database/database.js';
import { HttpError } from '../http/service-app.js';
import { handleOnce, PROCESSED_EVENTS_TABLE, publishAfterCommit, type ServiceDefinition } from './service.js';

interface UserRow {
  id: string;
  email: string;
  name: string;
  orders_count: number;
  created_at: number;
}

const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    orders_count: { type: 'integer' },
    created_at: { type: 'integer' },
  },
} as const;

export const users: ServiceDefinition = {
  name: 'users',
  usesEvents: true,
  dependsOn: [],
  schema: [
    `CREATE TABLE IF NOT EXISTS users (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      orders_count INTEGER NOT NULL DEFAULT 0,
      created_at BIGINT NOT NULL
    )`,
    PROCESSED_EVENTS_TABLE,
  ],

  async register(app, context) {
    const { db, logger } = context;

    app.post<{ Body: { email: string; name: string } }>(
      '/users',
      {
        schema: {
          body: {
            type: 'object',
            required: ['email', 'name'],
            additionalProperties: false,
            properties: {
              email: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$', maxLength: 254 },
              name: { type: 'string', minLength: 1, maxLength: 100 },
            },
          },
          response: { 201: userSchema },
        },
      },
      async (request, reply) => {
        const user: UserRow = {
          id: randomUUID(),
          email: request.body.email.toLowerCase(),
          name: request.body.name.trim(),
          orders_count: 0,
          created_at: Date.now(),
        };
        try {
          await db.execute('INSERT INTO users (id, email, name, orders_count, created_at) VALUES (?, ?, ?, 0, ?)', [
            user.id,
            user.email,
            user.name,
            user.created_at,
          ]);
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new HttpError(409, 'email_taken', `a user with email ${user.email} already exists`);
          }
          throw error;
        }
        logger.info({ user_id: user.id }, 'user signed up');
        await publishAfterCommit(context, 'user.created', { user_id: user.id, email: user.email, name: user.name });
        return reply.code(201).send(user);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/users/:id',
      { schema: { response: { 200: userSchema } } },
      async (request) => {
        const [user] = await db.query<UserRow>('SELECT * FROM users WHERE id = ?', [request.params.id]);
        if (!user) throw new HttpError(404, 'user_not_found', `no user ${request.params.id}`);
        return user;
      },
    );

    app.get<{ Querystring: { limit?: number } }>(
      '/users',
      {
        schema: {
          querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100 } } },
          response: { 200: { type: 'object', properties: { users: { type: 'array', items: userSchema } } } },
        },
      },
      async (request) => ({
        users: await db.query<UserRow>('SELECT * FROM users ORDER BY created_at DESC LIMIT ?', [
          request.query.limit ?? 20,
        ]),
      }),
    );

    await context.events.subscribe('users', ['order.confirmed'], async (event) => {
      const userId = String(event.data['user_id'] ?? '');
      await handleOnce(db, event, async (tx) => {
        await tx.execute('UPDATE users SET orders_count = orders_count + 1 WHERE id = ?', [userId]);
      });
    });
    return undefined;
  },
};
