// The dashboard's API types must match the server's routes: regenerate them in memory from the
// current server code and compare with the committed file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generateSchemaSource, SCHEMA_FILE } from '../scripts/openapi.js';

test('src/api/schema.generated.ts matches the server OpenAPI document', async () => {
  const expected = await generateSchemaSource();
  const actual = readFileSync(SCHEMA_FILE, 'utf8');
  assert.ok(
    actual === expected,
    'web/src/api/schema.generated.ts is stale: the server routes changed. Run `npm run gen:api -w web` and commit the result.',
  );
});
