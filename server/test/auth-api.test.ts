// Access control end to end on a real server, on SQLite and on PostgreSQL: 401 and 403 as
// problem+json with their WWW-Authenticate challenges, the bootstrap admin token, tokens shown
// once and stored hashed, roles (viewer/operator/admin) on registry, token and module routes,
// revocation and expiry, the agent credential (ingest token), the per-token rate limit, open mode.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyPluginAsync } from 'fastify';
import type { ServerModule } from '../src/module.js';
import { defaultModules } from '../src/modules.js';
import {
  type AuditPageBody,
  type AuthCall,
  authClient,
  type Problem,
  registration,
  type TokenBody,
  type WhoAmI,
} from './fixtures/auth-client.js';
import { waitFor } from './fixtures/wait.js';
import { type RunningServer, startServer } from './helpers/server.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';

const ADMIN = 'bootstrap-admin-token-0123456789abcdef';
const INGEST = 'ingest-token-for-agents-0123456789';

// A module that only declares roles: the access hook in app.ts does the rest.
const probeRoutes: FastifyPluginAsync = async (app) => {
  app.post('/probe/publish', { schema: { hide: true } }, async (request) => ({ by: request.principal.name }));
  app.get('/probe/settings', { config: { role: 'admin' }, schema: { hide: true } }, async (request) => ({
    by: request.principal.name,
  }));
};
const withProbe = async (context: Parameters<typeof defaultModules>[0]): Promise<ServerModule[]> => [
  ...(await defaultModules(context)),
  { name: 'probe', apiRoutes: probeRoutes },
];

function assertProblem(response: { status: number; body: unknown; headers: Headers }, status: number): Problem {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  const problem = response.body as Problem;
  assert.equal(problem.status, status);
  assert.ok(problem.detail.length > 0);
  return problem;
}

async function createToken(call: AuthCall, token: string, name: string, role: string): Promise<TokenBody> {
  const created = await call<TokenBody>('POST', '/tokens', token, { name, role });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

for (const kind of STORE_KINDS) {
  describe(`access control [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let server: RunningServer;
    let call: AuthCall;

    before(async () => {
      store = await createTestStore(kind);
      server = await startServer({ store: store.url, adminToken: ADMIN, ingestToken: INGEST }, { modules: withProbe });
      call = authClient(server.apiUrl);
    });
    after(async () => {
      await server?.close();
      await store?.cleanup();
    });

    it('answers 401 problem+json with a Bearer challenge without a token or with a bad one', async () => {
      const missing = await call('GET', '/services');
      assertProblem(missing, 401);
      assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="signalbox"');
      assert.equal(missing.body.code, 'SB_UNAUTHORIZED');

      const wrong = await call('GET', '/services', 'sbx_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      assertProblem(wrong, 401);
      assert.equal(wrong.headers.get('www-authenticate'), 'Bearer realm="signalbox", error="invalid_token"');

      const notBearer = await fetch(`${server.apiUrl}/api/v1/services`, {
        headers: { authorization: `Basic ${ADMIN}` },
      });
      assert.equal(notBearer.status, 401);
      // Outside /api/v1 nothing changes: probes and the OpenAPI document stay open.
      assert.equal((await fetch(`${server.apiUrl}/livez`)).status, 200);
      assert.equal((await fetch(`${server.apiUrl}/openapi.json`)).status, 200);
    });

    it('accepts the bootstrap admin token', async () => {
      const me = await call<WhoAmI>('GET', '/whoami', ADMIN);
      assert.equal(me.status, 200);
      assert.deepEqual(me.body, {
        kind: 'bootstrap',
        id: 'bootstrap',
        name: 'bootstrap admin (SIGNALBOX_ADMIN_TOKEN)',
        role: 'admin',
        open_mode: false,
      });
      assert.equal((await call('GET', '/probe/settings', ADMIN)).status, 200);
    });

    it('shows a created token once and stores only its SHA-256', async () => {
      const created = await call<TokenBody>('POST', '/tokens', ADMIN, { name: 'ci-deploy', role: 'operator' });
      assert.equal(created.status, 201);
      assert.equal(created.headers.get('cache-control'), 'no-store');
      const token = created.body.token as string;
      assert.match(token, /^sbx_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      assert.equal(created.body.role, 'operator');
      assert.equal(created.body.created_by, 'bootstrap admin (SIGNALBOX_ADMIN_TOKEN)');

      const listed = await call<{ tokens: TokenBody[] }>('GET', '/tokens', ADMIN);
      const entry = listed.body.tokens.find((t) => t.id === created.body.id);
      assert.ok(entry);
      assert.equal('token' in entry, false);
      assert.equal(JSON.stringify(listed.body).includes(token), false);

      const row = await server.app.context.store.db
        .selectFrom('api_tokens')
        .selectAll()
        .where('id', '=', created.body.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.hash, createHash('sha256').update(token).digest('hex'));
      assert.equal(Object.values(row).includes(token), false);

      const me = await call<WhoAmI>('GET', '/whoami', token);
      assert.deepEqual(me.body, {
        kind: 'token',
        id: created.body.id,
        name: 'ci-deploy',
        role: 'operator',
        open_mode: false,
      });
      // Use is recorded (to the minute) for the token screen, after the reply: the request that
      // used the token does not wait on that write.
      await waitFor('last_used_at of the used token', async () => {
        const used = await call<{ tokens: TokenBody[] }>('GET', '/tokens', ADMIN);
        return typeof used.body.tokens.find((t) => t.id === created.body.id)?.last_used_at === 'number';
      });
    });

    it('refuses bad token requests with 400 naming the field, and stores nothing', async () => {
      const before = (await call<{ tokens: TokenBody[] }>('GET', '/tokens', ADMIN)).body.tokens.length;
      const badRole = assertProblem(await call('POST', '/tokens', ADMIN, { name: 'x', role: 'root' }), 400);
      assert.ok(badRole.errors?.some((e) => e.path === '/body/role'));
      const noName = assertProblem(await call('POST', '/tokens', ADMIN, { role: 'viewer' }), 400);
      assert.ok(noName.errors?.some((e) => e.path === '/body/name'));
      const blank = assertProblem(await call('POST', '/tokens', ADMIN, { name: '   ', role: 'viewer' }), 400);
      assert.ok(blank.errors?.some((e) => e.path === '/body/name'));
      const badExpiry = assertProblem(
        await call('POST', '/tokens', ADMIN, { name: 'x', role: 'viewer', expires_in: 'soon' }),
        400,
      );
      assert.ok(badExpiry.errors?.some((e) => e.path === '/body/expires_in'));
      assert.equal((await call<{ tokens: TokenBody[] }>('GET', '/tokens', ADMIN)).body.tokens.length, before);
    });

    it('lets a viewer read but not write (403 with insufficient_scope)', async () => {
      const viewer = (await createToken(call, ADMIN, 'dashboard-viewer', 'viewer')).token as string;
      assert.equal((await call('GET', '/services', viewer)).status, 200);
      assert.equal((await call('GET', '/audit', viewer)).status, 200);

      const publish = assertProblem(await call('POST', '/probe/publish', viewer, {}), 403);
      assert.equal(publish.code, 'SB_FORBIDDEN');
      assert.equal(publish.required_role, 'operator');
      assert.match(publish.detail, /needs the operator role; "dashboard-viewer" has viewer/);
      const challenge = (await call('POST', '/probe/publish', viewer, {})).headers.get('www-authenticate');
      assert.equal(challenge, 'Bearer realm="signalbox", error="insufficient_scope", scope="operator"');

      const before = (await call<{ services: unknown[] }>('GET', '/services', viewer)).body.services.length;
      assertProblem(await call('POST', '/instances', viewer, registration('viewer-made', 'viewer-made-1')), 403);
      assert.equal((await call<{ services: unknown[] }>('GET', '/services', viewer)).body.services.length, before);
      assertProblem(await call('POST', '/tokens', viewer, { name: 'escalate', role: 'admin' }), 403);
      assertProblem(await call('GET', '/tokens', viewer), 403);
      assertProblem(await call('GET', '/probe/settings', viewer), 403);
    });

    it('lets an operator change the fleet but not manage tokens', async () => {
      const operator = (await createToken(call, ADMIN, 'oncall', 'operator')).token as string;
      const published = await call<{ by: string }>('POST', '/probe/publish', operator, {});
      assert.equal(published.status, 200);
      assert.equal(published.body.by, 'oncall');
      assert.equal((await call('POST', '/instances', operator, registration('op-made', 'op-made-1'))).status, 201);
      assertProblem(await call('POST', '/tokens', operator, { name: 'escalate', role: 'admin' }), 403);
      assertProblem(await call('GET', '/probe/settings', operator), 403);
    });

    it('refuses a revoked token and audits the revocation with before and after', async () => {
      const created = await createToken(call, ADMIN, 'leaver', 'viewer');
      const token = created.token as string;
      assert.equal((await call('GET', '/services', token)).status, 200);

      const revoked = await call<TokenBody>('DELETE', `/tokens/${created.id}?reason=left%20the%20team`, ADMIN);
      assert.equal(revoked.status, 200);
      assert.equal(typeof revoked.body.revoked_at, 'number');
      assert.equal(revoked.body.revoked_by, 'bootstrap admin (SIGNALBOX_ADMIN_TOKEN)');
      const refused = assertProblem(await call('GET', '/services', token), 401);
      assert.match(refused.detail, /revoked/);

      // Revoking again changes nothing and records nothing; unknown ids are 404.
      assert.equal((await call('DELETE', `/tokens/${created.id}`, ADMIN)).status, 200);
      assertProblem(await call('DELETE', '/tokens/0123456789ab', ADMIN), 404);

      const audit = await call<AuditPageBody>('GET', `/audit?target_type=token&target_id=${created.id}`, ADMIN);
      assert.deepEqual(
        audit.body.entries.map((e) => e.action),
        ['token.revoke', 'token.create'],
      );
      const [revoke, create] = audit.body.entries;
      assert.deepEqual(revoke?.actor, {
        kind: 'bootstrap',
        id: 'bootstrap',
        name: 'bootstrap admin (SIGNALBOX_ADMIN_TOKEN)',
      });
      assert.equal(revoke?.before?.revoked_at, null);
      assert.equal(revoke?.after?.revoked_at, revoked.body.revoked_at);
      assert.equal(revoke?.reason, 'left the team');
      assert.equal(create?.before, null);
      assert.deepEqual(create?.after, {
        id: created.id,
        name: 'leaver',
        role: 'viewer',
        expires_at: null,
        revoked_at: null,
      });
      // No secret in the audit log.
      assert.equal(JSON.stringify(audit.body).includes(token), false);

      const listed = await call<{ tokens: TokenBody[] }>('GET', '/tokens', ADMIN);
      assert.equal(
        listed.body.tokens.some((t) => t.id === created.id),
        false,
      );
      const all = await call<{ tokens: TokenBody[] }>('GET', '/tokens?include_revoked=true', ADMIN);
      assert.equal(
        all.body.tokens.some((t) => t.id === created.id),
        true,
      );
    });

    it('refuses a token once it expires', async () => {
      const created = await call<TokenBody>('POST', '/tokens', ADMIN, {
        name: 'short',
        role: 'viewer',
        expires_in: '1s',
      });
      assert.equal(created.status, 201);
      assert.equal(created.body.expires_at, created.body.created_at + 1000);
      // A second of life, so a slow machine still gets its first call in before it expires.
      assert.equal((await call('GET', '/services', created.body.token)).status, 200);
      await sleep(Math.max(0, created.body.expires_at - Date.now()) + 100);
      assertProblem(await call('GET', '/services', created.body.token), 401);
    });

    it('accepts the ingest token as the agent credential on agent routes only', async () => {
      const me = await call<WhoAmI>('GET', '/whoami', INGEST);
      assert.equal(me.body.kind, 'agent');
      assert.equal(me.body.role, null);
      assert.equal((await call('POST', '/instances', INGEST, registration('agent-svc', 'agent-svc-1'))).status, 201);
      assert.equal((await call('PUT', '/instances/agent-svc-1/heartbeat', INGEST)).status, 200);
      const read = assertProblem(await call('GET', '/services', INGEST), 403);
      assert.match(read.detail, /agent credential/);
      assertProblem(await call('POST', '/probe/publish', INGEST, {}), 403);
      assertProblem(await call('POST', '/tokens', INGEST, { name: 'x', role: 'admin' }), 403);

      // An agent leaving is not audited; an operator removing an instance is, with before and after.
      assert.equal((await call('DELETE', '/instances/agent-svc-1', INGEST)).status, 204);
      assert.equal((await call('POST', '/instances', INGEST, registration('agent-svc', 'agent-svc-2'))).status, 201);
      const operator = (await createToken(call, ADMIN, 'remover', 'operator')).token as string;
      assert.equal((await call('DELETE', '/instances/agent-svc-2', operator)).status, 204);
      const audit = await call<AuditPageBody>('GET', '/audit?action=instance.deregister&service=agent-svc', ADMIN);
      assert.deepEqual(
        audit.body.entries.map((e) => [e.target_id, e.actor.name, e.before?.status, e.after?.address]),
        [['agent-svc-2', 'remover', 'passing', '127.0.0.1:9']],
      );
      assert.equal(audit.body.entries[0]?.before?.removed_at, null);
      assert.equal(typeof audit.body.entries[0]?.after?.removed_at, 'number');
    });

    it('documents the bearer scheme in the OpenAPI document', async () => {
      const doc = (await (await fetch(`${server.apiUrl}/openapi.json`)).json()) as {
        components: { securitySchemes: Record<string, { type: string; scheme: string }> };
        security: Array<Record<string, string[]>>;
        paths: Record<string, Record<string, { tags?: string[] }>>;
      };
      assert.deepEqual(
        { type: doc.components.securitySchemes.bearer?.type, scheme: doc.components.securitySchemes.bearer?.scheme },
        { type: 'http', scheme: 'bearer' },
      );
      assert.deepEqual(doc.security, [{ bearer: [] }]);
      for (const [path, method] of [
        ['/api/v1/tokens', 'post'],
        ['/api/v1/tokens/{id}', 'delete'],
        ['/api/v1/whoami', 'get'],
        ['/api/v1/audit', 'get'],
        ['/api/v1/services/{name}/timeline', 'get'],
      ] as const) {
        assert.ok(doc.paths[path]?.[method]?.tags?.length, `${method} ${path} is documented with a tag`);
      }
    });

    it('limits each token to its requests per minute (429 problem+json with Retry-After)', async () => {
      // A second replica on the same store with a small limit; counts are per replica.
      const limited = await startServer({ store: store.url, adminToken: ADMIN, apiRateLimit: 3 });
      try {
        const limitedCall = authClient(limited.apiUrl);
        const first = (await createToken(limitedCall, ADMIN, 'busy', 'viewer')).token as string;
        const second = (await createToken(limitedCall, ADMIN, 'calm', 'viewer')).token as string;
        for (let i = 0; i < 3; i++) assert.equal((await limitedCall('GET', '/services', first)).status, 200);
        const refused = await limitedCall('GET', '/services', first);
        const problem = assertProblem(refused, 429);
        assert.equal(problem.code, 'SB_TOO_MANY_REQUESTS');
        const retryAfter = Number(refused.headers.get('retry-after'));
        assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
        // Another token has its own budget; the bootstrap token used 2 of its 3 above.
        assert.equal((await limitedCall('GET', '/services', second)).status, 200);
        assert.equal((await limitedCall('GET', '/services', ADMIN)).status, 200);
        assertProblem(await limitedCall('GET', '/services', ADMIN), 429);
      } finally {
        await limited.close();
      }
    });
  });

  describe(`open mode [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let server: RunningServer;
    let call: AuthCall;

    before(async () => {
      store = await createTestStore(kind);
      server = await startServer({ store: store.url, host: '127.0.0.1' });
      call = authClient(server.apiUrl);
    });
    after(async () => {
      await server?.close();
      await store?.cleanup();
    });

    it('serves the API without a token on loopback until the first token exists', async () => {
      assert.equal((await call('GET', '/services')).status, 200);
      assert.equal((await call('POST', '/instances', undefined, registration('laptop', 'laptop-1'))).status, 201);
      const me = await call<WhoAmI>('GET', '/whoami');
      assert.deepEqual(me.body, {
        kind: 'open',
        id: 'open',
        name: 'anonymous (open mode)',
        role: 'admin',
        open_mode: true,
      });
      // A stale token (an agent's SIGNALBOX_TOKEN, say) does not lock anyone out of an open API.
      assert.equal((await call('GET', '/services', 'left-over-token-value')).status, 200);

      const created = await createToken(call, 'left-over-token-value', 'laptop-admin', 'admin');
      const audit = await call<AuditPageBody>('GET', '/audit?action=token.create', created.token);
      assert.equal(audit.body.entries[0]?.actor.kind, 'open');

      // From now on tokens are required.
      assertProblem(await call('GET', '/services'), 401);
      assert.equal((await call('GET', '/services', created.token)).status, 200);
      // Revoking the only token opens the API again (still loopback only).
      assert.equal((await call('DELETE', `/tokens/${created.id}`, created.token)).status, 200);
      assert.equal((await call('GET', '/services')).status, 200);
    });
  });
}
