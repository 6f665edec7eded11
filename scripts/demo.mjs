#!/usr/bin/env node
// `npm run demo`: starts the control plane on the embedded SQLite store and prints where to
// look. Every child gets a readable prefix; Ctrl-C (or SIGTERM) stops them all, nothing is left
// running. PROCESSES: the control plane, the demo fleet with its load generator, the dashboard.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const root = resolve(import.meta.dirname, '..');
const apiPort = process.env.SIGNALBOX_API_PORT ?? '8080';
const otlpPort = process.env.SIGNALBOX_OTLP_PORT ?? '4318';
const store = process.env.SIGNALBOX_STORE ?? `sqlite:${resolve(root, 'signalbox-data/demo.db')}`;

const { fleetProcesses, portsFrom } = await tsImport(resolve(root, 'demo-services/src/fleet.ts'), import.meta.url);
const { SERVER_NODE_OPTIONS } = await tsImport(resolve(root, 'server/src/node-options.ts'), import.meta.url);
// The dashboard runs as `next start` on a production build: pages load as fast as they will in
// production and are the build the browser tests check. The build is made on the first run
// (about a minute) and reused while web/ is unchanged (`next dev` would compile every page on
// its first visit instead, slowly on a small machine, and use more memory).
const { ensureBuild, NEXT_BIN, WEB_DIR } = await tsImport(
  resolve(root, 'web/scripts/production-build.ts'),
  import.meta.url,
);
const webPort = process.env.SIGNALBOX_WEB_PORT ?? '3000';
// The shop takes seven ports from DEMO_PORT_BASE on (gateway first, the event broker last).
const portBase = Number(process.env.DEMO_PORT_BASE ?? 7000);
const demoPorts = portsFrom(portBase);

const PROCESSES = [
  {
    name: 'server',
    command: process.execPath,
    args: [
      ...SERVER_NODE_OPTIONS,
      resolve(root, 'server/bin/signalbox-server.mjs'),
      '--store',
      store,
      '--log-level',
      'info',
    ],
    env: { SIGNALBOX_API_PORT: apiPort, SIGNALBOX_OTLP_PORT: otlpPort },
  },
  // The shop (demo-services/src/fleet.ts): the event broker when NATS_URL is not set, the six
  // services on 7000–7005 with SQLite files in signalbox-data/demo, and the load generator.
  ...fleetProcesses({
    controlPlaneUrl: `http://127.0.0.1:${apiPort}`,
    otlpEndpoint: `http://127.0.0.1:${otlpPort}`,
    dataDir: process.env.DEMO_DATA_DIR ?? resolve(root, 'signalbox-data/demo'),
    natsUrl: process.env.NATS_URL || undefined,
    ports: demoPorts,
    brokerAddress: `127.0.0.1:${portBase + 6}`,
    load: { rate: Number(process.env.DEMO_LOAD_RATE ?? 5), duration: process.env.DEMO_LOAD_DURATION ?? '30m' },
  }).map((spec) => ({ ...spec, waitFor: `http://127.0.0.1:${apiPort}/livez` })),
  {
    name: 'web',
    command: process.execPath,
    args: [NEXT_BIN, 'start', '--hostname', '127.0.0.1', '--port', webPort],
    cwd: WEB_DIR,
    env: { SIGNALBOX_API_URL: `http://127.0.0.1:${apiPort}`, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    // next start runs next-server as a child of its own: signal the whole process group.
    group: true,
    prepare: () =>
      ensureBuild({
        onChild(child) {
          child.group = true;
          children.add(child);
          child.on('exit', () => children.delete(child));
        },
      }).then((ms) => {
        if (ms > 0) console.log(`dashboard built in ${(ms / 1000).toFixed(0)} s`);
      }),
  },
];

const COLORS = [36, 33, 35, 32, 34, 31, 96, 93];
const width = Math.max(...PROCESSES.map((p) => p.name.length));
const children = new Set();
let stopping = false;

function prefixed(name, index) {
  const label = `\x1b[${COLORS[index % COLORS.length]}m${name.padEnd(width)}\x1b[0m │ `;
  let pending = '';
  return (chunk) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) process.stdout.write(label + humanize(line) + '\n');
  };
}

// pino writes JSON; show the level and message, which is what a person reads first.
function humanize(line) {
  if (!line.startsWith('{')) return line;
  try {
    const record = JSON.parse(line);
    const level = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }[record.level] ?? '';
    return `${level.padEnd(5)} ${record.msg ?? ''}`;
  } catch {
    return line;
  }
}

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping everything…');
  for (const child of children) signal(child, 'SIGTERM');
  const force = setTimeout(() => {
    for (const child of children) signal(child, 'SIGKILL');
  }, 10_000);
  force.unref();
  const wait = setInterval(() => {
    if (children.size === 0) {
      clearInterval(wait);
      process.exit(code);
    }
  }, 100);
}

function signal(child, name) {
  try {
    if (child.group) process.kill(-child.pid, name);
    else child.kill(name);
  } catch {
    // already gone
  }
}

// A process with `waitFor` starts once that URL answers (the fleet waits for the control plane,
// so its agents register at once instead of backing off while the server migrates its store).
async function whenUp(url, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!stopping && Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// `prepare` (the dashboard's build) runs first; a failure stops the demo like a crash would.
PROCESSES.forEach((spec, index) => {
  Promise.all([spec.prepare?.(), spec.waitFor && whenUp(spec.waitFor)]).then(
    () => {
      if (!stopping) launch(spec, index);
    },
    (error) => {
      if (stopping) return;
      console.log(`${spec.name}: ${error.message}`);
      stopAll(1);
    },
  );
});

function launch(spec, index) {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd ?? root,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: Boolean(spec.group),
  });
  child.group = Boolean(spec.group);
  children.add(child);
  const write = prefixed(spec.name, index);
  child.stdout.on('data', write);
  child.stderr.on('data', write);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping && spec.optional && code === 0) {
      console.log(`${spec.name} finished`);
    } else if (!stopping) {
      console.log(`${spec.name} exited (${signal ?? code}); stopping the demo`);
      stopAll(1);
    }
  });
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

console.log(`
Signalbox demo (embedded SQLite store: ${store})
  API         http://127.0.0.1:${apiPort}/api/v1
  API docs    http://127.0.0.1:${apiPort}/docs
  OTLP/HTTP   http://127.0.0.1:${otlpPort}   (point OTEL_EXPORTER_OTLP_ENDPOINT here)
  Metrics     http://127.0.0.1:${apiPort}/metrics
  Dashboard   http://127.0.0.1:${webPort}   (built on the first run, about a minute; SIGNALBOX_WEB_PORT to move it)
  Shop        http://127.0.0.1:${demoPorts.gateway}/api/products   (Authorization: Bearer demo-web-token)
  Events      ${process.env.NATS_URL ? `NATS JetStream at ${process.env.NATS_URL}` : `fallback broker on 127.0.0.1:${portBase + 6} (set NATS_URL for JetStream)`}
The load generator drives the shop at ${process.env.DEMO_LOAD_RATE ?? 5} scenarios/s for ${process.env.DEMO_LOAD_DURATION ?? '30m'}. Ctrl-C stops everything.
`);
