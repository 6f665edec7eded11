// `npm run gen:api -w web`: regenerates src/api/schema.generated.ts from the server's routes.
import { readFileSync, writeFileSync } from 'node:fs';
import { generateSchemaSource, SCHEMA_FILE } from './openapi.js';

const source = await generateSchemaSource();
let previous = '';
try {
  previous = readFileSync(SCHEMA_FILE, 'utf8');
} catch {
  // first generation
}
if (previous === source) {
  console.log(`${SCHEMA_FILE} is up to date`);
} else {
  writeFileSync(SCHEMA_FILE, source);
  console.log(`wrote ${SCHEMA_FILE}`);
}
