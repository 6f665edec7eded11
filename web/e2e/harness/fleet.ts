// The real demo fleet (demo-services, each service a process under the Signalbox agent, the
// fallback event broker) pointed at the test's control plane, plus the demo load generator run
// in this process. Exactly what `npm run demo` runs, briefly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fleetProcesses } from '../../../demo-services/src/fleet.js';
import { type LoadReport, runLoad } from '../../../demo-services/src/loadgen/load.js';
import { SERVICES, type ServiceName } from '../../../demo-services/src/settings.js';
import { freePorts, type ProcessGroup, spawnFleet } from '../../../demo-services/test/helpers/processes.js';

export const LOADGEN_TOKEN = 'demo-loadgen-token';

export interface RunningFleet {
  gateway: string;
  processes: ProcessGroup;
  /** Drives the shop through the gateway for a while (the demo's own load generator). */
  load(options: { rate: number; durationMs: number; declineRate?: number }): Promise<LoadReport>;
  stop(): Promise<void>;
}

export async function startFleet(options: {
  apiUrl: string;
  otlpUrl: string;
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
}): Promise<RunningFleet> {
  const dataDir = mkdtempSync(join(tmpdir(), 'signalbox-e2e-fleet-'));
  const ports = await freePorts(SERVICES.length + 1);
  const portOf = Object.fromEntries(SERVICES.map((s, i) => [s, ports[i]])) as Record<ServiceName, number>;
  const processes = spawnFleet(
    fleetProcesses({
      controlPlaneUrl: options.apiUrl,
      otlpEndpoint: options.otlpUrl,
      dataDir,
      ports: portOf,
      brokerAddress: `127.0.0.1:${ports[SERVICES.length]}`,
      load: false,
      extraEnv: {
        DEMO_CHECK_INTERVAL_MS: '1000',
        DEMO_HEARTBEAT_TTL_MS: '3000',
        // Export often, so pages show traces and logs within a second.
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_BLRP_SCHEDULE_DELAY: '200',
        SIGNALBOX_AGENT_LOG_LEVEL: 'warn',
      },
      serviceEnv: options.serviceEnv,
    }),
  );
  const gateway = `http://127.0.0.1:${portOf.gateway}`;
  const stop = async () => {
    await processes.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const response = await fetch(`${options.apiUrl}/api/v1/services`).catch(() => undefined);
      const body = response?.ok ? ((await response.json()) as { services: { name: string }[] }) : { services: [] };
      if (SERVICES.every((name) => body.services.some((s) => s.name === name))) break;
      if (Date.now() > deadline) throw new Error(`the fleet did not register within 90 s:\n${processes.tail()}`);
      await sleep(250);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    gateway,
    processes,
    load: ({ rate, durationMs, declineRate }) =>
      runLoad({ target: gateway, token: LOADGEN_TOKEN, rate, durationMs, declineRate: declineRate ?? 0.2 }),
    stop,
  };
}

/** Polls `probe` every 300 ms until it answers (not undefined); a probe that throws answers nothing. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** What a probe of `untilLoaded` answers when only more traffic can bring what it waits for. */
export const MORE_LOAD = Symbol('more load');

/**
 * `until`, but while the probe answers MORE_LOAD (a call the random load mix may not have made,
 * such as orders → payments behind an inventory that fails half its calls), the fleet gets
 * another short load, once the last one has had 5 s to arrive, three times at most.
 */
export async function untilLoaded<T>(
  fleet: RunningFleet,
  what: string,
  probe: () => Promise<T | typeof MORE_LOAD | undefined>,
  timeoutMs = 75_000,
): Promise<T> {
  let loads = 0;
  let loadedAt = Date.now();
  return until(
    what,
    async () => {
      const value = await probe();
      if (value !== MORE_LOAD) return value;
      if (loads < 3 && Date.now() - loadedAt > 5_000) {
        loads++;
        await fleet.load({ rate: 15, durationMs: 4_000 });
        loadedAt = Date.now();
      }
      return undefined;
    },
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message} (loads after the first: ${loads})`);
  });
}
