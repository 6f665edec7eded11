#!/usr/bin/env node
// Container HEALTHCHECK for every Signalbox image: `node healthcheck.mjs <url>` exits 0 when the
// URL answers 2xx within the timeout and 1 otherwise. Exec-form HEALTHCHECKs get no shell, so
// `${NAME:-default}` in the URL is expanded here from the container's environment; that keeps the
// probe on the right port when SIGNALBOX_API_PORT or PORT is changed at `docker run`.
import { pathToFileURL } from 'node:url';

const TIMEOUT_MS = 2_000;

/** Replaces `${NAME}` and `${NAME:-default}` with values from env (empty when unset, no default). */
export function expand(template, env = process.env) {
  return template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_match, name, fallback) => {
    const value = env[name];
    return value !== undefined && value !== '' ? value : (fallback ?? '');
  });
}

/** Resolves to null when healthy, else to a sentence saying why not. Never throws. */
export async function probe(url, timeoutMs = TIMEOUT_MS) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return null;
    return `${url} answered ${response.status}`;
  } catch (error) {
    const reason =
      error?.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error?.cause?.code ?? error?.message);
    return `${url}: ${reason}`;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const template = process.argv[2];
  if (!template) {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the usage shows the placeholder syntax itself
    process.stderr.write('usage: healthcheck.mjs <url, may contain ${NAME:-default}>\n');
    process.exit(2);
  }
  const failure = await probe(expand(template));
  if (failure) process.stderr.write(`unhealthy: ${failure}\n`);
  process.exit(failure ? 1 : 0);
}
