// The agent against a control plane that requires tokens: with the ingest token as its
// SIGNALBOX_TOKEN (the agent credential) it registers, heartbeats and deregisters; with a wrong
// token it is refused (401), keeps the host serving, and says why.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Agent, start } from '../src/agent.js';
import { ControlPlane, eventually } from './helpers/control-plane.js';
import { keepEventLoopAlive } from './helpers/event-loop.js';
import { fastOptions, recordingLogger, startService, type TestService } from './helpers/service.js';

keepEventLoopAlive();

const ADMIN = 'agent-test-admin-token-0123456789';
const INGEST = 'agent-test-ingest-token-0123456789';

describe('agent with a control plane that requires tokens', () => {
  let controlPlane: ControlPlane;
  const agents: Agent[] = [];
  const services: TestService[] = [];

  before(async () => {
    controlPlane = await ControlPlane.reserve({ SIGNALBOX_ADMIN_TOKEN: ADMIN, SIGNALBOX_INGEST_TOKEN: INGEST });
    await controlPlane.start();
  });

  after(async () => {
    for (const service of services) await service.close().catch(() => {});
    for (const agent of agents) await agent.shutdown({ timeoutMs: 1_000 });
    await controlPlane.dispose();
  });

  async function startAgent(service: string, token: string) {
    const logger = recordingLogger();
    const agent = start(
      fastOptions({
        service,
        controlPlane: controlPlane.apiUrl,
        otlpEndpoint: controlPlane.otlpUrl,
        logger,
        env: { SIGNALBOX_TOKEN: token },
        telemetry: { enabled: false },
      }),
    );
    agents.push(agent);
    services.push(await startService(agent));
    return { agent, logger };
  }

  it('registers, heartbeats and deregisters with the ingest token', async () => {
    const { agent } = await startAgent('agent-auth-ok', INGEST);
    await eventually('registration', () => (agent.stats().controlPlane?.state === 'registered' ? true : undefined));
    const id = agent.stats().instanceId;
    // The API itself needs a person's token to read; the agent credential cannot.
    assert.equal((await controlPlane.get(`/api/v1/instances/${id}`, INGEST)).status, 403);
    const seen = await controlPlane.get<{ status: string; removed_at: number | null }>(
      `/api/v1/instances/${id}`,
      ADMIN,
    );
    assert.equal(seen.status, 200);
    assert.equal(seen.body.removed_at, null);
    await eventually('heartbeats', () => ((agent.stats().controlPlane?.heartbeats ?? 0) >= 2 ? true : undefined));
    assert.equal(agent.stats().controlPlane?.failures, 0);

    await agent.shutdown({ timeoutMs: 2_000 });
    const removed = await controlPlane.get<{ removed_at: number | null }>(`/api/v1/instances/${id}`, ADMIN);
    assert.equal(typeof removed.body.removed_at, 'number');
    // An agent leaving is not an operator's change: nothing in the audit log.
    const audit = await controlPlane.get<{ entries: unknown[] }>(`/api/v1/audit?target_id=${id}`, ADMIN);
    assert.deepEqual(audit.body.entries, []);
  });

  it('is refused with a wrong token, says why, and the host keeps serving', async () => {
    const { agent } = await startAgent('agent-auth-wrong', 'not-the-ingest-token-at-all');
    await eventually('a refused registration', () =>
      (agent.stats().controlPlane?.failures ?? 0) >= 1 ? true : undefined,
    );
    const stats = agent.stats().controlPlane;
    assert.notEqual(stats?.state, 'registered');
    assert.match(stats?.lastError ?? '', /401/);
    assert.equal((await services.at(-1)?.work())?.status, 200);
    const listed = await controlPlane.get<{ services: { name: string }[] }>('/api/v1/services', ADMIN);
    assert.equal(
      listed.body.services.some((s) => s.name === 'agent-auth-wrong'),
      false,
    );
  });
});
