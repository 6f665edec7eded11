import { readFileSync } from 'node:fs';

/** The server package's version, from its package.json (one source). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
