// `npm run bench:ingest:compare`: part (a)'s load against two servers side by side, A and B,
// to tell whether a change to the ingest path helps. This VM's speed drifts by up to 2x within
// a minute, so two separate runs of `bench:ingest` differ by more than most changes do; here
// the servers take turns, a few seconds each in the order ABBA, and each is charged only the
// CPU it used in its own turns (the other waits idle). A against itself agrees within ~2 %.
//
//   node --import tsx bench/ingest/compare.ts [--store sqlite|postgres] [--rounds 8]
//     [--round-seconds 4] [--a-main FILE] [--a-args "NODE ARGS"] [--a-env "K=V …"]
//     [--b-main FILE] [--b-args "NODE ARGS"] [--b-env "K=V …"]
//
// `--b-main` runs B from another checkout (its server/src/main.ts), e.g. a `git worktree` of
// the change with node_modules linked from this one; `--b-env` sets settings
// (SIGNALBOX_INGEST_JOURNAL=off), `--b-args` node flags (after the server's own options, so
// they may override them).
import { parseArgs } from 'node:util';
import { Agent } from 'undici';
import { SERVER_NODE_OPTIONS } from '../../server/src/node-options.js';
import { benchStore, type StoreKind } from './stores.js';
import {
  CLIENTS,
  clientLoop,
  cpuSecondsOf,
  makePayloads,
  type Payload,
  payloadSender,
  SPANS_PER_REQUEST,
  spawnServer,
  untilIdle,
} from './throughput.js';

const { values: args } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    rounds: { type: 'string', default: '8' },
    'round-seconds': { type: 'string', default: '4' },
    'a-main': { type: 'string' },
    'a-args': { type: 'string', default: '' },
    'a-env': { type: 'string', default: '' },
    'b-main': { type: 'string' },
    'b-args': { type: 'string', default: '' },
    'b-env': { type: 'string', default: '' },
  },
});

const words = (text: string) => text.split(' ').filter(Boolean);
const envOf = (spec: string): NodeJS.ProcessEnv => ({
  ...process.env,
  ...Object.fromEntries(
    words(spec).map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`--a-env/--b-env take KEY=VALUE pairs, got "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  ),
});

const kind = args.store as StoreKind;
const rounds = Number(args.rounds);
const roundMs = Number(args['round-seconds']) * 1000;
const payloads = makePayloads();
const post = payloadSender(payloads, 'random');
const sides = (['a', 'b'] as const).map((side) => ({
  name: side.toUpperCase(),
  store: benchStore(kind),
  main: args[`${side}-main`],
  nodeArgs: [...SERVER_NODE_OPTIONS, ...words(args[`${side}-args`] ?? '')],
  envSpec: args[`${side}-env`] ?? '',
  env: envOf(args[`${side}-env`] ?? ''),
  spans: 0,
  seconds: 0,
  cpuSeconds: 0,
  perRound: [] as number[],
}));
const servers = await Promise.all(
  sides.map((side) =>
    spawnServer(side.store.url, {
      ...(side.main ? { main: side.main } : {}),
      nodeArgs: side.nodeArgs,
      env: side.env,
    }),
  ),
);
const killOnExit = () => {
  for (const server of servers) server.child.kill('SIGKILL');
};
process.once('exit', killOnExit);

/** Sends to one server from 4 clients for `ms`; returns the spans it accepted. */
async function load(server: (typeof servers)[number], ms: number): Promise<number> {
  const dispatcher = new Agent({ connections: CLIENTS });
  const url = `${server.otlpUrl}/v1/traces`;
  let accepted = 0;
  const send = async (payload: Payload) => {
    const response = await post(url, payload, dispatcher);
    if (response.statusCode === 200) accepted += SPANS_PER_REQUEST;
    else if (response.statusCode === 429 || response.statusCode === 503) {
      await new Promise((r) => setTimeout(r, 1000 * response.retryAfterSeconds));
    } else throw new Error(`unexpected status ${response.statusCode}`);
  };
  const until = performance.now() + ms;
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => clientLoop(payloads, c, until, send)));
  await dispatcher.close();
  return accepted;
}

const pidOf = (i: number) => servers[i]?.child.pid as number;
// Warm-up (JIT, the store's first pages), not counted.
for (const server of servers) await load(server, 3000);
console.log(`${rounds} rounds of ${roundMs / 1000} s per side on ${kind}, in the order ABBA…`);
for (let round = 0; round < rounds; round++) {
  for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
    await Promise.all(servers.map((_, k) => untilIdle(pidOf(k))));
    const side = sides[i] as (typeof sides)[number];
    const cpuBefore = cpuSecondsOf(pidOf(i));
    const started = performance.now();
    const spans = await load(servers[i] as (typeof servers)[number], roundMs);
    const seconds = (performance.now() - started) / 1000;
    // Its commits and roll-ups after the last reply belong to its turn too.
    await untilIdle(pidOf(i));
    side.cpuSeconds += cpuSecondsOf(pidOf(i)) - cpuBefore;
    side.spans += spans;
    side.seconds += seconds;
    side.perRound.push(spans / seconds);
  }
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
for (const side of sides) {
  const config = [side.main, side.nodeArgs.join(' '), side.envSpec].filter(Boolean).join('; ');
  console.log(
    `  ${side.name}: ${fmt(side.spans / side.seconds)} spans/s, ${((side.cpuSeconds * 1e6) / side.spans).toFixed(1)} µs of server CPU per span` +
      ` (rounds: ${side.perRound.map((r) => fmt(r)).join(' ')})${config ? `; ${config}` : ''}`,
  );
}
const [a, b] = sides as [(typeof sides)[number], (typeof sides)[number]];
console.log(
  `  B/A: ${((b.spans / b.seconds / (a.spans / a.seconds)) * 100).toFixed(1)} % of the spans/s,` +
    ` ${((b.cpuSeconds / b.spans / (a.cpuSeconds / a.spans)) * 100).toFixed(1)} % of the CPU per span`,
);
for (const server of servers) server.child.kill('SIGTERM');
await Promise.all(
  servers.map((server) =>
    server.child.exitCode === null ? new Promise((resolve) => server.child.once('exit', resolve)) : null,
  ),
);
process.off('exit', killOnExit);
await Promise.all(sides.map((side) => side.store.cleanup()));
