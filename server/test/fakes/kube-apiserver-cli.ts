// Serves a fake Kubernetes API with a scenario, for the dashboard's browser tests and for trying
// `signalbox-server --kubernetes <kubeconfig>` without a cluster:
//
//   node --import tsx server/test/fakes/kube-apiserver-cli.ts --port 6443 --scenario demo \
//     --kubeconfig-out /tmp/fake-kubeconfig.json
//
// Scenarios: demo, rolling-update, crash-loop, oom-killed, deleted-service, problem-pods, bench
// (sized by --bench-namespaces, --bench-services, --bench-pods).
//
// Prints one JSON line {"url", "kubeconfig", "scenario"} once listening. Plays the scenario's
// steps every --step-every (e.g. 5s; 0 = never), appends a log line to every running container
// every --log-every (e.g. 1s), and stops on SIGTERM/SIGINT. Control API: POST /_fake/… (see
// kube-apiserver.ts).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { kubeconfigFor, startFakeKubeApiServer } from './kube-apiserver.js';
import { benchCluster, SCENARIOS } from './kube-scenarios.js';

function millis(value: string): number {
  const m = /^(\d+)(ms|s|m)?$/.exec(value);
  if (!m) throw new Error(`"${value}" is not a duration like 500ms, 5s or 1m`);
  const n = Number(m[1]);
  return m[2] === 'm' ? n * 60_000 : m[2] === 'ms' ? n : n * 1000;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    scenario: { type: 'string', default: 'demo' },
    'step-every': { type: 'string', default: '5s' },
    'log-every': { type: 'string', default: '1s' },
    'bookmark-every': { type: 'string', default: '60s' },
    'kubeconfig-out': { type: 'string' },
    token: { type: 'string' },
    'bench-namespaces': { type: 'string', default: '50' },
    'bench-services': { type: 'string', default: '4' },
    'bench-pods': { type: 'string', default: '25' },
  },
  strict: true,
});

const make =
  values.scenario === 'bench'
    ? () =>
        benchCluster({
          namespaces: Number(values['bench-namespaces']),
          servicesPerNamespace: Number(values['bench-services']),
          podsPerService: Number(values['bench-pods']),
        })
    : SCENARIOS[values.scenario];
if (!make) {
  process.stderr.write(`unknown scenario "${values.scenario}"; choose one of: ${Object.keys(SCENARIOS).join(', ')}\n`);
  process.exit(2);
}
const scenario = make();
const server = await startFakeKubeApiServer({
  port: Number(values.port),
  host: values.host,
  ...(values.token ? { token: values.token } : {}),
  bookmarkIntervalMs: millis(values['bookmark-every']),
  seed: (s) => scenario.seed(s),
});
if (values['kubeconfig-out']) {
  writeFileSync(values['kubeconfig-out'], kubeconfigFor(server.url, values.token ? { token: values.token } : {}));
}
process.stdout.write(
  `${JSON.stringify({ url: server.url, kubeconfig: values['kubeconfig-out'] ?? null, scenario: scenario.name })}\n`,
);

const timers: NodeJS.Timeout[] = [];
const stepEvery = millis(values['step-every']);
let step = 0;
if (stepEvery > 0 && scenario.steps.length > 0) {
  timers.push(
    setInterval(() => {
      // Play through once, then keep repeating the last two steps (a crash loop keeps crashing).
      const index =
        step < scenario.steps.length ? step : scenario.steps.length - 2 + ((step - scenario.steps.length) % 2);
      const next = scenario.steps[Math.max(0, index)]!;
      next.apply(server);
      process.stdout.write(`${JSON.stringify({ step: next.name })}\n`);
      step += 1;
    }, stepEvery),
  );
}
const logEvery = millis(values['log-every']);
let tick = 0;
if (logEvery > 0) {
  timers.push(
    setInterval(() => {
      tick += 1;
      for (const pod of server.list('pods')) {
        const statuses = (pod.status as { containerStatuses?: { name: string; state: { running?: unknown } }[] })
          .containerStatuses;
        for (const c of statuses ?? []) {
          if (!c.state.running) continue;
          server.appendLog(pod.metadata.namespace!, pod.metadata.name, c.name, [
            `{"level":"info","msg":"request handled","route":"GET /api/items","status":200,"tick":${tick}}`,
          ]);
        }
      }
    }, logEvery),
  );
}

const stop = async () => {
  for (const t of timers) clearInterval(t);
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
