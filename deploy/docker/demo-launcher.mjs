#!/usr/bin/env node
// Entry point of the one demo image: `DEMO_SERVICE=payments` (or `demo-launcher.mjs payments`)
// picks which demo service this container runs, so six Deployments share one image. It runs
// the bundled demo-services/src/main.ts (deploy/docker/bundle.mjs) as `main.js <service>`.
// `demo-launcher.mjs --healthcheck` probes that service's /healthz on its port: the HEALTHCHECK
// runs in a fresh process that sees the container's environment but not PID 1's arguments,
// which is why the service is chosen by environment variable first.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { probe } from './healthcheck.mjs';

/** The demo fleet and the port each service listens on by default (demo-services/ keeps the same). */
export const DEMO_SERVICES = {
  gateway: 7000,
  users: 7001,
  orders: 7002,
  payments: 7003,
  inventory: 7004,
  notifications: 7005,
};

/** The bundled entry point of the demo fleet, relative to the image's /app. */
export function entryPoint(root) {
  return join(root, 'demo-services', 'dist', 'main.js');
}

/** The port the chosen service listens on: PORT when set (as the demo reads it), else its default. */
export function servicePort(service, env) {
  const port = Number(env.PORT);
  return env.PORT && Number.isInteger(port) && port > 0 ? port : DEMO_SERVICES[service];
}

/** Picks the service from argv, then DEMO_SERVICE; returns { service } or { error }. */
export function chooseService(args, env) {
  const service = args.find((arg) => !arg.startsWith('--')) ?? env.DEMO_SERVICE;
  const known = Object.keys(DEMO_SERVICES).join(', ');
  if (!service) return { error: `no demo service chosen: set DEMO_SERVICE to one of ${known}` };
  if (!Object.hasOwn(DEMO_SERVICES, service))
    return { error: `unknown demo service "${service}": expected one of ${known}` };
  return { service };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const chosen = chooseService(args, process.env);
  if (chosen.error) {
    process.stderr.write(`demo-launcher: ${chosen.error}\n`);
    process.exit(2);
  }
  if (args.includes('--healthcheck')) {
    const failure = await probe(`http://127.0.0.1:${servicePort(chosen.service, process.env)}/healthz`);
    if (failure) process.stderr.write(`unhealthy: ${failure}\n`);
    process.exit(failure ? 1 : 0);
  }
  const root = dirname(fileURLToPath(import.meta.url));
  const entry = entryPoint(root);
  if (!existsSync(entry)) {
    process.stderr.write(`demo-launcher: ${entry} is missing; the image's build stage bundles it (bundle.mjs)\n`);
    process.exit(2);
  }
  process.env.DEMO_SERVICE = chosen.service;
  process.env.OTEL_SERVICE_NAME ??= chosen.service;
  // The bundle reads its service from argv, exactly as `node main.js <service>` would pass it.
  process.argv.splice(2, process.argv.length - 2, chosen.service);
  await import(pathToFileURL(entry).href);
}
