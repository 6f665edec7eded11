// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${NAME} placeholders
// The small programs the images run besides our packages: the HEALTHCHECK probe, the demo
// launcher and the bundler that builds the demo image. Each runs for real here.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bundle } from '../docker/bundle.mjs';
import { chooseService, DEMO_SERVICES, servicePort } from '../docker/demo-launcher.mjs';
import { expand, probe } from '../docker/healthcheck.mjs';
import { DOCKER_DIR, REPO_ROOT } from './lib/repo.js';

const HEALTHCHECK = join(DOCKER_DIR, 'healthcheck.mjs');
const LAUNCHER = join(DOCKER_DIR, 'demo-launcher.mjs');

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    timeout: 15_000,
    env: { PATH: process.env.PATH, ...env },
  });
}

/** Like run(), without blocking this process's event loop (the test's HTTP server answers meanwhile). */
function runAsync(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ status: number; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [script, ...args],
      { timeout: 15_000, env: { PATH: process.env.PATH, ...env } },
      (error, _stdout, stderr) => {
        resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr });
      },
    );
  });
}

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probeServer = createServer();
  await new Promise<void>((resolve) => probeServer.listen(0, '127.0.0.1', resolve));
  const { port } = probeServer.address() as AddressInfo;
  await new Promise((resolve) => probeServer.close(resolve));
  return port;
}

describe('healthcheck.mjs', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((request, response) => {
      if (request.url === '/ok') response.end('ok');
      else if (request.url === '/hang')
        return; // never answers
      else {
        response.statusCode = 503;
        response.end('not ready');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('expands ${NAME:-default} from the environment', () => {
    assert.equal(expand('http://h:${P:-8080}/x', {}), 'http://h:8080/x');
    assert.equal(expand('http://h:${P:-8080}/x', { P: '9090' }), 'http://h:9090/x');
    assert.equal(expand('http://h:${P:-8080}/x', { P: '' }), 'http://h:8080/x');
    assert.equal(expand('${A}${B:-b}', { A: 'a' }), 'ab');
  });

  it('exits 0 on a 2xx answer and 1 on anything else, saying why', async () => {
    const port = new URL(base).port;
    const healthy = await runAsync(HEALTHCHECK, ['http://127.0.0.1:${TEST_PORT:-1}/ok'], { TEST_PORT: port });
    assert.equal(healthy.status, 0, healthy.stderr);
    const unhealthy = await runAsync(HEALTHCHECK, [`${base}/readyz`]);
    assert.equal(unhealthy.status, 1);
    assert.match(unhealthy.stderr, /answered 503/);
    const refused = await runAsync(HEALTHCHECK, [`http://127.0.0.1:${await closedPort()}/livez`]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /ECONNREFUSED/);
    assert.equal((await runAsync(HEALTHCHECK, [])).status, 2);
  });

  it('gives up on a server that does not answer', async () => {
    const started = Date.now();
    assert.match((await probe(`${base}/hang`, 300)) ?? '', /no answer within 300 ms/);
    assert.ok(Date.now() - started < 2_000);
  });
});

describe('demo-launcher.mjs', () => {
  it('chooses the service from its argument, then DEMO_SERVICE, and refuses unknown ones', () => {
    assert.deepEqual(chooseService(['users'], { DEMO_SERVICE: 'orders' }), { service: 'users' });
    assert.deepEqual(chooseService(['--healthcheck'], { DEMO_SERVICE: 'orders' }), { service: 'orders' });
    assert.match(chooseService([], {}).error ?? '', /set DEMO_SERVICE to one of gateway, users/);
    assert.match(chooseService(['shipping'], {}).error ?? '', /unknown demo service "shipping"/);
    assert.equal(servicePort('payments', {}), DEMO_SERVICES.payments);
    assert.equal(servicePort('payments', { PORT: '9000' }), 9000);
  });

  it('exits 2 with the reason when the service is unknown or the bundle is missing', () => {
    const unknown = run(LAUNCHER, ['shipping']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /expected one of gateway, users, orders, payments, inventory, notifications/);
    const dir = mkdtempSync(join(tmpdir(), 'signalbox-launcher-'));
    copyFileSync(LAUNCHER, join(dir, 'demo-launcher.mjs'));
    copyFileSync(HEALTHCHECK, join(dir, 'healthcheck.mjs'));
    const missing = run(join(dir, 'demo-launcher.mjs'), [], { DEMO_SERVICE: 'users' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /demo-services\/dist\/main\.js is missing/);
  });

  it('runs the bundle as `main.js <service>` with the service named for OpenTelemetry', () => {
    // The image's layout: /app/demo-launcher.mjs, /app/healthcheck.mjs, /app/demo-services/dist/main.js.
    const dir = mkdtempSync(join(tmpdir(), 'signalbox-launcher-'));
    copyFileSync(LAUNCHER, join(dir, 'demo-launcher.mjs'));
    copyFileSync(HEALTHCHECK, join(dir, 'healthcheck.mjs'));
    mkdirSync(join(dir, 'demo-services/dist'), { recursive: true });
    writeFileSync(
      join(dir, 'demo-services/dist/main.js'),
      'console.log(JSON.stringify({ argv: process.argv.slice(2), service: process.env.DEMO_SERVICE, otel: process.env.OTEL_SERVICE_NAME }));\n',
    );
    writeFileSync(join(dir, 'demo-services/package.json'), '{"type":"module"}\n');
    const result = run(join(dir, 'demo-launcher.mjs'), [], { DEMO_SERVICE: 'inventory' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { argv: ['inventory'], service: 'inventory', otel: 'inventory' });
  });
});

describe('bundle.mjs', () => {
  it('bundles the demo fleet and its agent with every runtime import declared as a production dependency', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'signalbox-bundle-'));
    const result = await bundle({
      root: REPO_ROOT,
      entry: join(REPO_ROOT, 'demo-services/src/main.ts'),
      outdir,
      workspaces: ['agents/node', 'demo-services'],
    });
    assert.deepEqual(result.undeclared, []);
    assert.ok(result.imported.includes('fastify'), result.imported.join(', '));
    assert.ok(!result.imported.includes('@signalbox/agent'), 'the agent (TypeScript sources) is bundled, not imported');
    assert.match(readFileSync(join(outdir, 'main.js'), 'utf8'), /import\(/, 'the dynamic import after start() is kept');
  });

  it('keeps packages behind a dynamic import out of the entry chunk, and reports undeclared ones', async () => {
    const root = mkdtempSync(join(tmpdir(), 'signalbox-bundle-fixture-'));
    mkdirSync(join(root, 'app/src'), { recursive: true });
    writeFileSync(
      join(root, 'app/package.json'),
      JSON.stringify({ name: 'app', dependencies: { early: '1', late: '1' } }),
    );
    writeFileSync(
      join(root, 'app/src/main.ts'),
      "import 'early';\nimport { sep } from 'node:path';\nconsole.log(sep);\nawait import('./late.js');\n",
    );
    writeFileSync(join(root, 'app/src/late.ts'), "import 'late';\nimport 'undeclared-pkg';\n");
    const outdir = join(root, 'out');
    const result = await bundle({ root, entry: join(root, 'app/src/main.ts'), outdir, workspaces: ['app'] });
    assert.deepEqual(result.imported, ['early', 'late', 'undeclared-pkg']);
    assert.deepEqual(result.undeclared, ['undeclared-pkg']);
    const main = readFileSync(join(outdir, 'main.js'), 'utf8');
    assert.match(main, /import "early"/);
    assert.doesNotMatch(main, /import "late"/, 'a package imported only after start() must not load before it');
  });
});
