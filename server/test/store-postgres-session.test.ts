// Our PostgreSQL sessions plan with a random page cost for cached data (see sessionOptions in
// store.ts), keep the schema of the URL, and let the URL's own `options` win.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStore } from '../src/store/store.js';
import { createTestStore, storeSuiteOptions, type TestStore } from './helpers/stores.js';

describe('PostgreSQL session settings [postgres]', storeSuiteOptions('postgres'), () => {
  let testStore: TestStore;
  before(async () => {
    testStore = await createTestStore('postgres');
  });
  after(async () => {
    await testStore?.cleanup();
  });

  const settingsOf = async (url: string) => {
    const store = await openStore(url);
    try {
      const { rows } = await sql<{ cost: string; schema: string }>`
        select current_setting('random_page_cost') as cost, current_schema() as schema`.execute(store.db);
      return rows[0];
    } finally {
      await store.close();
    }
  };

  it('plans with a random page cost of 1.1 in the URL’s schema', async () => {
    const schema = new URL(testStore.url).searchParams.get('schema');
    assert.deepEqual(await settingsOf(testStore.url), { cost: '1.1', schema });
  });

  it('keeps a random page cost the URL sets, with its other options', async () => {
    const url = new URL(testStore.url);
    url.searchParams.set('options', '-c random_page_cost=2.5 -c work_mem=8MB');
    const store = await openStore(url.toString());
    try {
      const { rows } = await sql<{ cost: string; mem: string }>`
        select current_setting('random_page_cost') as cost, current_setting('work_mem') as mem`.execute(store.db);
      assert.deepEqual(rows[0], { cost: '2.5', mem: '8MB' });
    } finally {
      await store.close();
    }
  });
});
