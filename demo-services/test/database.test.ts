import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SpanKind, trace } from '@opentelemetry/api';
import { type Database, isUniqueViolation, openDatabase } from '../src/database/database.js';
import { numbered } from '../src/database/postgres-database.js';
import type { DatabaseSettings } from '../src/settings.js';
import {
  DATABASE_KINDS,
  databaseSuiteOptions,
  dropSchemas,
  POSTGRES_URL,
  uniqueSchemaPrefix,
} from './helpers/postgres.js';
import { installTracing } from './helpers/tracing.js';

const exporter = installTracing();

const SCHEMA = ['CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, count INTEGER NOT NULL, at BIGINT NOT NULL)'];

for (const kind of DATABASE_KINDS) {
  describe(`database on ${kind}`, databaseSuiteOptions(kind), () => {
    let db: Database;
    let cleanup: () => Promise<void>;

    before(async () => {
      let settings: DatabaseSettings;
      if (kind === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'demo-db-'));
        settings = { kind, path: join(dir, 'nested', 'test.db'), name: 'test' };
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
      } else {
        const prefix = uniqueSchemaPrefix();
        settings = { kind, url: POSTGRES_URL, schema: `${prefix}_test`, name: 'test' };
        cleanup = () => dropSchemas(prefix);
      }
      db = await openDatabase(settings, SCHEMA);
      // Applying the schema again is a no-op: services do it on every start.
      await db.close();
      db = await openDatabase(settings, SCHEMA);
    });
    after(async () => {
      await db.close();
      await cleanup();
    });

    test('reads back what it wrote, BIGINT as a number', async () => {
      const at = Date.now();
      assert.equal(await db.execute('INSERT INTO items (id, count, at) VALUES (?, ?, ?)', ['a', 1, at]), 1);
      const rows = await db.query<{ id: string; count: number; at: number }>('SELECT * FROM items WHERE id = ?', ['a']);
      assert.deepEqual(rows, [{ id: 'a', count: 1, at }]);
      await db.ping();
    });

    test('a unique violation is recognised', async () => {
      const error = await db.execute('INSERT INTO items (id, count, at) VALUES (?, ?, ?)', ['a', 2, 0]).catch((e) => e);
      assert.ok(isUniqueViolation(error), String(error));
    });

    test('a transaction that throws leaves nothing behind, one that resolves commits', async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.execute('INSERT INTO items (id, count, at) VALUES (?, ?, ?)', ['b', 1, 0]);
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.deepEqual(await db.query('SELECT id FROM items WHERE id = ?', ['b']), []);
      const result = await db.transaction(async (tx) => {
        await tx.execute('UPDATE items SET count = count + 1 WHERE id = ?', ['a']);
        return tx.query<{ count: number }>('SELECT count FROM items WHERE id = ?', ['a']);
      });
      assert.deepEqual(result, [{ count: 2 }]);
    });

    test('concurrent transactions do not see each other half-done', async () => {
      await db.execute('INSERT INTO items (id, count, at) VALUES (?, ?, ?)', ['c', 0, 0]);
      await Promise.all(
        Array.from({ length: 10 }, () =>
          db.transaction(async (tx) => {
            const [row] = await tx.query<{ count: number }>(
              kind === 'postgres'
                ? 'SELECT count FROM items WHERE id = ? FOR UPDATE'
                : 'SELECT count FROM items WHERE id = ?',
              ['c'],
            );
            await new Promise((resolve) => setTimeout(resolve, 2));
            await tx.execute('UPDATE items SET count = ? WHERE id = ?', [(row?.count ?? 0) + 1, 'c']);
          }),
        ),
      );
      assert.deepEqual(await db.query('SELECT count FROM items WHERE id = ?', ['c']), [{ count: 10 }]);
    });

    if (kind === 'sqlite') {
      test('each statement in a traced operation is a CLIENT span with database attributes', async () => {
        exporter.reset();
        await db.query('SELECT * FROM items');
        assert.deepEqual(exporter.getFinishedSpans(), [], 'no trace of its own for an untraced statement');
        const parent = await trace.getTracer('test').startActiveSpan('request', async (root) => {
          await db.query('SELECT * FROM items');
          root.end();
          return root.spanContext().spanId;
        });
        const span = exporter.getFinishedSpans().find((s) => s.name === 'SELECT test');
        assert.ok(span, 'no span for the query');
        assert.equal(span.parentSpanContext?.spanId, parent);
        assert.equal(span.kind, SpanKind.CLIENT);
        // The current semantic-convention names (the control plane also reads the older ones).
        assert.equal(span.attributes['db.system.name'], 'sqlite');
        assert.equal(span.attributes['db.namespace'], 'test');
        assert.equal(span.attributes['db.operation.name'], 'SELECT');
        assert.equal(span.attributes['db.query.text'], 'SELECT * FROM items');
      });

      test('a statement compiled once gives the same answers after the schema changes', async () => {
        const sql = 'SELECT * FROM items WHERE id = ?';
        const before = await db.query<Record<string, unknown>>(sql, ['c']);
        await db.execute('ALTER TABLE items ADD COLUMN note TEXT');
        await db.execute('UPDATE items SET note = ? WHERE id = ?', ['added', 'c']);
        const after = await db.query<Record<string, unknown>>(sql, ['c']);
        assert.deepEqual(
          after,
          before.map((row) => ({ ...row, note: 'added' })),
        );
      });
    }
  });
}

test('placeholders are numbered for PostgreSQL', () => {
  assert.equal(
    numbered('SELECT * FROM t WHERE a = ? AND b IN (?, ?)'),
    'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)',
  );
});
