#!/usr/bin/env node
// Runs the compiled server when it has been built (`npm run build`, the container image),
// and the TypeScript sources through tsx otherwise (a checkout after `npm ci`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/main.js', import.meta.url);
if (existsSync(fileURLToPath(compiled))) {
  await import(compiled.href);
} else {
  await import('tsx/esm');
  await import(new URL('../src/main.ts', import.meta.url).href);
}
