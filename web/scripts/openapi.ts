// Builds the server's OpenAPI document in-process (the real route schemas, no network, an
// in-memory store that is never migrated) and turns it into TypeScript types with
// openapi-typescript. Shared by the generator (gen-api.ts) and the staleness test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { buildApp } from '../../server/src/app.js';
import { defaultSettings } from '../../server/src/settings.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../src/api/schema.generated.ts', import.meta.url));

const HEADER = `// GENERATED FILE, DO NOT EDIT. Types of the Signalbox REST API, made by openapi-typescript from
// the server's OpenAPI document (built in-process from the route schemas).
// Regenerate with \`npm run gen:api -w web\`; web/test/api-schema.test.ts fails when this is stale.
`;

export async function buildOpenApiDocument(): Promise<OpenAPI3> {
  // Optional modules (the Kubernetes source) only add their routes when configured, and the
  // dashboard has pages for them, so the document is built with them on. A placeholder
  // kubeconfig is enough: modules are never started here, so no cluster is contacted.
  const dir = mkdtempSync(join(tmpdir(), 'signalbox-openapi-'));
  const kubeconfig = join(dir, 'kubeconfig.json');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'docs', cluster: { server: 'http://127.0.0.1:9' } }],
      users: [{ name: 'docs', user: {} }],
      contexts: [{ name: 'docs', context: { cluster: 'docs', user: 'docs' } }],
      'current-context': 'docs',
    }),
  );
  const app = await buildApp(
    defaultSettings({
      store: 'sqlite::memory:',
      logLevel: 'silent',
      kubernetes: { mode: 'kubeconfig', path: kubeconfig },
    }),
  );
  try {
    await app.api.ready();
    return app.api.swagger() as unknown as OpenAPI3;
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function generateSchemaSource(): Promise<string> {
  const document = await buildOpenApiDocument();
  const ast = await openapiTS(document, { alphabetize: true, exportType: true });
  return HEADER + astToString(ast);
}
