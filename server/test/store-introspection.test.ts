// A migration must not fail because some other schema in the same database loses a table at that
// moment (a test or replica set dropping its schema, our own retention dropping a daily partition).
// The race is made deterministic: another connection drops a table inside an open transaction, so
// anything that resolves that table by name blocks on its lock and then finds it gone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../src/store/store.js';
import { createTestStore, POSTGRES_URL, storeSuiteOptions, type TestStore } from './helpers/stores.js';

describe('PostgreSQL introspection during migrations', storeSuiteOptions('postgres'), () => {
  let ours: TestStore;
  let theirs: TestStore;
  let otherSchema: string;
  let dropper: pg.Client;

  before(async () => {
    ours = await createTestStore('postgres');
    theirs = await createTestStore('postgres');
    otherSchema = new URL(theirs.url).searchParams.get('schema') ?? '';
    dropper = new pg.Client({ connectionString: POSTGRES_URL });
    await dropper.connect();
    await dropper.query(`CREATE SCHEMA ${otherSchema}`);
  });

  after(async () => {
    await dropper.end().catch(() => {});
    await ours.cleanup();
    await theirs.cleanup();
  });

  /**
   * Runs `introspect` in a repeatable-read transaction whose snapshot was taken before another
   * connection dropped (and committed the drop of) a table in the other schema: the snapshot still
   * lists the table, but anything that resolves it by name finds it gone. This is the race a
   * concurrent DROP makes, held still.
   */
  async function afterConcurrentDrop<DB, T>(
    db: Kysely<DB>,
    introspect: (trx: Kysely<DB>) => Promise<T>,
  ): Promise<PromiseSettledResult<T>> {
    const table = `spans_d${Date.now()}`;
    await dropper.query(`CREATE TABLE ${otherSchema}.${table} (id serial primary key)`);
    let outcome: PromiseSettledResult<T> | undefined;
    await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await dropper.query(`DROP TABLE ${otherSchema}.${table}`);
        [outcome] = await Promise.allSettled([introspect(trx)]);
      })
      // A failed statement aborts the transaction, so its commit turns into a rollback.
      .catch(() => {});
    assert.ok(outcome);
    return outcome;
  }

  test('the stock introspector fails in this scenario (so the test below can fail)', async () => {
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    const db = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool }) });
    try {
      const outcome = await afterConcurrentDrop(db, (trx) => trx.introspection.getTables());
      assert.equal(outcome.status, 'rejected');
      assert.match(String((outcome as PromiseRejectedResult).reason), /does not exist/);
    } finally {
      await db.destroy();
    }
  });

  test('our store introspects only its own schema, unharmed by the drop, and migrates there', async () => {
    const store: Store = await openStore(ours.url);
    try {
      await store.migrate();
      const outcome = await afterConcurrentDrop(store.db, (trx) =>
        trx.introspection.getTables({ withInternalKyselyTables: true }),
      );
      assert.equal(outcome.status, 'fulfilled', String((outcome as PromiseRejectedResult).reason));
      const tables = (outcome as PromiseFulfilledResult<Awaited<ReturnType<Store['db']['introspection']['getTables']>>>)
        .value;
      const ownSchema = new URL(ours.url).searchParams.get('schema');
      assert.ok(
        tables.every((table) => table.schema === ownSchema),
        'only tables of our own schema',
      );
      assert.ok(tables.some((table) => table.name === 'kysely_migration'));
      const instances = tables.find((table) => table.name === 'instances');
      assert.ok(instances && instances.columns.length > 3, 'columns come with each table');
      // A second migrate finds its own bookkeeping tables and has nothing to do.
      await store.migrate();
      const count = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(store.db);
      assert.ok((count.rows[0]?.n ?? 0) > 0, 'migrations recorded');
    } finally {
      await store.close();
    }
  });
});
