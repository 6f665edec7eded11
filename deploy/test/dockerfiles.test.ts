// No Docker engine runs here, so each Dockerfile is parsed (dockerfile-ast) and checked against
// the repository it builds: copied paths exist and survive .dockerignore, the entrypoint runs
// the package's bin, exposed ports are the programs' defaults, the user is not root, the
// runtime stage holds production dependencies only, and a HEALTHCHECK probes the right port.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, posix } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_PORTS } from '../../demo-services/src/settings.js';
import { SERVER_NODE_OPTIONS } from '../../server/src/node-options.js';
import { loadSettings } from '../../server/src/settings.js';
import {
  all,
  envOf,
  finalStage,
  originOf,
  type ParsedDockerfile,
  parseDockerfile,
  type Stage,
} from './lib/dockerfile.js';
import { DOCKER_DIR, exists, readPackage, repoPath } from './lib/repo.js';

// CommonJS whose typings declare an ES default export; require() gives the factory itself.
const dockerignore = createRequire(import.meta.url)(
  '@balena/dockerignore',
) as typeof import('@balena/dockerignore').default;

const defaults = loadSettings([], {});
const IMAGES = {
  server: { workspace: 'server', ports: [defaults.apiPort, defaults.otlpPort] },
  web: { workspace: 'web', ports: [3000] },
  demo: { workspace: 'demo-services', ports: Object.values(DEFAULT_PORTS) },
} as const;
type Image = keyof typeof IMAGES;

const parsed = (image: Image): ParsedDockerfile => parseDockerfile(join(DOCKER_DIR, `${image}.Dockerfile`));

/** Build-context sources are stat'ed; stage paths are directories unless they end in a file extension. */
function isDirectory(source: string): boolean {
  if (source.includes(':')) return !/\/[^/.][^/]*\.[a-z0-9]+$/i.test(source);
  return existsSync(repoPath(source)) && statSync(repoPath(source)).isDirectory();
}

const SKIPPED_DIRS = new Set([
  'node_modules',
  '.next',
  'dist',
  'test-results',
  'signalbox-data',
  'screenshots',
  '.git',
]);
function filesUnder(relative: string): string[] {
  const absolute = repoPath(relative);
  if (!statSync(absolute).isDirectory()) return [relative];
  return readdirSync(absolute)
    .filter((entry) => !SKIPPED_DIRS.has(entry) && !entry.endsWith('.tsbuildinfo') && !entry.endsWith('.log'))
    .flatMap((entry) => filesUnder(posix.join(relative, entry)));
}

function ignoreFilter(file: string) {
  return dockerignore().add(readFileSync(file, 'utf8'));
}

function contextCopies(stage: Stage): string[] {
  return all(stage, 'COPY')
    .filter((c) => !c.from)
    .flatMap((c) => c.args.slice(0, -1).map((s) => s.replace(/\/$/, '')));
}

const nodeTag = (base: string) => /^node:(\d+)\.(\d+)\.(\d+)-/.exec(base);

for (const image of Object.keys(IMAGES) as Image[]) {
  const spec = IMAGES[image];
  describe(`${image}.Dockerfile`, () => {
    const dockerfile = parsed(image);
    const runtime = finalStage(dockerfile);

    it('builds in stages from a pinned Node image that satisfies engines', () => {
      assert.ok(dockerfile.stages.length >= 2, 'a build stage and a small runtime stage');
      assert.equal(runtime.name, 'runtime');
      const stageNames = new Set(dockerfile.stages.map((s) => s.name));
      for (const stage of dockerfile.stages.filter((s) => !stageNames.has(s.base))) {
        const match = nodeTag(stage.base);
        assert.ok(match, `${stage.base} is not node:<major>.<minor>.<patch>-<variant>`);
        const [major, minor] = [Number(match[1]), Number(match[2])];
        assert.ok(
          (major === 20 && minor >= 18) || major >= 22,
          `${stage.base} does not satisfy engines (>=20.18 <21 || >=22)`,
        );
      }
      assert.deepEqual(all(runtime, 'ADD'), [], 'COPY only: ADD fetches URLs and unpacks archives');
    });

    it('runs as a numeric non-root user', () => {
      const user = all(runtime, 'USER').at(-1)?.args[0];
      assert.ok(user, 'the runtime stage sets USER');
      const [uid, gid] = user.split(':');
      assert.match(uid ?? '', /^\d+$/, 'numeric, so Kubernetes can verify runAsNonRoot');
      assert.notEqual(Number(uid), 0);
      if (gid !== undefined) assert.notEqual(Number(gid), 0);
    });

    it("exposes the program's default ports", () => {
      const exposed = all(runtime, 'EXPOSE').flatMap((i) => i.args.map((p) => Number(p.split('/')[0])));
      assert.deepEqual(exposed.sort(), [...spec.ports].sort());
    });

    it('copies only paths that exist and that its .dockerignore files keep', () => {
      const own = ignoreFilter(join(DOCKER_DIR, `${image}.Dockerfile.dockerignore`));
      const root = ignoreFilter(repoPath('.dockerignore'));
      for (const stage of dockerfile.stages) {
        for (const source of contextCopies(stage)) {
          assert.ok(exists(source), `COPY ${source}: no such path in the repository`);
          for (const file of filesUnder(source)) {
            assert.ok(!own.ignores(file), `${file} is copied but ${image}.Dockerfile.dockerignore leaves it out`);
            assert.ok(!root.ignores(file), `${file} is copied but .dockerignore leaves it out`);
          }
        }
        for (const copy of all(stage, 'COPY').filter((c) => c.from)) {
          const earlier = dockerfile.stages.slice(0, dockerfile.stages.indexOf(stage)).map((s) => s.name);
          assert.ok(earlier.includes(copy.from), `COPY --from=${copy.from} names no earlier stage`);
        }
      }
      for (const local of [
        'node_modules/x/index.js',
        `${spec.workspace}/node_modules/x/index.js`,
        '.git/HEAD',
        `${spec.workspace}/dist/main.js`,
      ]) {
        assert.ok(own.ignores(local), `${image}.Dockerfile.dockerignore sends ${local} to the builder`);
        assert.ok(root.ignores(local), `.dockerignore sends ${local} to the builder`);
      }
    });

    it('has a HEALTHCHECK whose script is in the image', () => {
      const check = all(runtime, 'HEALTHCHECK').at(-1)?.exec;
      assert.ok(check, 'an exec-form HEALTHCHECK CMD');
      assert.equal(check[0], 'node');
      const origin = originOf(runtime, check[1] as string, isDirectory);
      assert.ok(origin && !origin.fromStage && exists(origin.origin), `${check[1]} is not copied from the repository`);
    });
  });
}

describe('server image', () => {
  const dockerfile = parsed('server');
  const runtime = finalStage(dockerfile);
  const pkg = readPackage('server');

  it("runs the package's signalbox-server bin", () => {
    const entry = all(runtime, 'ENTRYPOINT').at(-1)?.exec;
    assert.ok(entry && entry[0] === 'node' && entry[1], 'ENTRYPOINT ["node", "<bin>"]');
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['signalbox-server'];
    assert.ok(bin, 'server/package.json has a signalbox-server bin');
    assert.deepEqual(originOf(runtime, entry[1], isDirectory), { origin: posix.join('server', bin) });
  });

  it('runs the server with its node options, as npm start does', () => {
    const options = SERVER_NODE_OPTIONS.join(' ');
    assert.equal(envOf(runtime).NODE_OPTIONS, options, 'ENV NODE_OPTIONS in server.Dockerfile');
    assert.ok(pkg.scripts?.start?.startsWith(`node ${options} `), `server/package.json start runs node ${options}`);
  });

  it('holds the compiled server that the bin prefers, built by the package build script', () => {
    const bin = readFileSync(repoPath('server/bin/signalbox-server.mjs'), 'utf8');
    assert.match(bin, /\.\.\/dist\/main\.js/, 'the bin runs dist/main.js when it exists');
    assert.deepEqual(originOf(runtime, '/app/server/dist/main.js', isDirectory), {
      origin: 'build:/app/server/dist/main.js',
      fromStage: 'build',
    });
    const build = dockerfile.stages.find((s) => s.name === 'build') as Stage;
    assert.ok(all(build, 'RUN').some((r) => /npm run build --workspace server\b/.test(r.args.join(' '))));
    assert.match(pkg.scripts?.build ?? '', /tsc -p tsconfig\.build\.json/);
    const tsconfig = JSON.parse(readFileSync(repoPath('server/tsconfig.build.json'), 'utf8'));
    assert.equal(tsconfig.compilerOptions.rootDir, 'src');
    assert.equal(tsconfig.compilerOptions.outDir, 'dist');
    assert.ok(exists('server/src/main.ts'), 'src/main.ts compiles to dist/main.js');
    assert.deepEqual(originOf(runtime, '/app/server/package.json', isDirectory), { origin: 'server/package.json' });
  });

  it('installs production dependencies only', () => {
    const origin = originOf(runtime, '/app/node_modules', isDirectory);
    assert.equal(origin?.fromStage, 'prod-deps');
    const stage = dockerfile.stages.find((s) => s.name === 'prod-deps') as Stage;
    assert.ok(all(stage, 'RUN').some((r) => /npm ci .*--workspace server .*--omit=dev/.test(r.args.join(' '))));
  });

  it('sets container settings the server accepts, with the store on the volume', () => {
    const env = envOf(runtime);
    const settings = loadSettings([], env);
    assert.equal(settings.host, '0.0.0.0');
    assert.equal(settings.store, 'sqlite:/data/signalbox.db');
    assert.ok(all(runtime, 'VOLUME').some((v) => v.args.join(' ').includes('/data')));
    const check = all(runtime, 'HEALTHCHECK').at(-1)?.exec ?? [];
    assert.match(check[2] ?? '', new RegExp(`:\\$\\{SIGNALBOX_API_PORT:-${defaults.apiPort}\\}/livez$`));
  });
});

describe('web image', () => {
  const dockerfile = parsed('web');
  const runtime = finalStage(dockerfile);
  const pkg = readPackage('web');
  const config = ['next.config.ts', 'next.config.mjs', 'next.config.js'].map((f) => `web/${f}`).find(exists);
  const configText = config ? readFileSync(repoPath(config), 'utf8') : '';

  it('builds the @signalbox/web package with next build', () => {
    assert.equal(pkg.name, '@signalbox/web');
    assert.ok(pkg.dependencies?.next, 'web depends on next');
    assert.match(pkg.scripts?.build ?? '', /\bnext build\b/);
    const build = dockerfile.stages.find((s) => s.name === 'build') as Stage;
    assert.ok(all(build, 'RUN').some((r) => /npm run build --workspace web\b/.test(r.args.join(' '))));
  });

  it('runs server.js from the standalone output, traced from the workspace root', () => {
    const entry = all(runtime, 'ENTRYPOINT').at(-1)?.exec ?? [];
    assert.deepEqual(originOf(runtime, entry[1] as string, isDirectory), {
      origin: 'build:/app/web/.next/standalone/web/server.js',
      fromStage: 'build',
    });
    // standalone/web/server.js (rather than standalone/server.js) because tracing starts at
    // the workspace root, where the lockfile and hoisted node_modules are.
    assert.match(configText, /outputFileTracingRoot:\s*workspaceRoot/);
    assert.deepEqual(originOf(runtime, '/app/web/.next/static/chunk.js', isDirectory)?.fromStage, 'build');
    assert.equal(
      originOf(runtime, '/app/node_modules/next/package.json', isDirectory)?.origin,
      'build:/app/web/.next/standalone/node_modules/next/package.json',
    );
  });

  it('has next.config set output: standalone', () => {
    assert.match(configText, /output:\s*['"]standalone['"]/);
  });

  const healthRoute = 'web/src/app/healthz/route.ts';
  it('serves the healthz route its probes use', () => {
    assert.ok(exists(healthRoute), `${healthRoute} is missing`);
  });
});

describe('demo image', () => {
  const dockerfile = parsed('demo');
  const runtime = finalStage(dockerfile);

  it('bundles demo-services/src/main.ts with the agent and runs it through the launcher', () => {
    assert.equal(readPackage('demo-services').name, '@signalbox/demo');
    assert.ok(exists('demo-services/src/main.ts'));
    const build = dockerfile.stages.find((s) => s.name === 'build') as Stage;
    assert.ok(
      all(build, 'RUN').some((r) =>
        /node deploy\/docker\/bundle\.mjs demo-services\/src\/main\.ts demo-services\/dist agents\/node demo-services/.test(
          r.args.join(' '),
        ),
      ),
    );
    const entry = all(runtime, 'ENTRYPOINT').at(-1)?.exec ?? [];
    assert.deepEqual(originOf(runtime, entry[1] as string, isDirectory), { origin: 'deploy/docker/demo-launcher.mjs' });
    assert.equal(originOf(runtime, '/app/demo-services/dist/main.js', isDirectory)?.fromStage, 'build');
    // The launcher resolves demo-services/dist/main.js beside itself, and imports healthcheck.mjs.
    assert.equal(posix.dirname(entry[1] as string), '/app');
    assert.deepEqual(originOf(runtime, '/app/healthcheck.mjs', isDirectory), {
      origin: 'deploy/docker/healthcheck.mjs',
    });
  });

  it('installs production dependencies of the demo and the agent only', () => {
    assert.equal(originOf(runtime, '/app/node_modules', isDirectory)?.fromStage, 'prod-deps');
    const stage = dockerfile.stages.find((s) => s.name === 'prod-deps') as Stage;
    assert.ok(
      all(stage, 'RUN').some((r) =>
        /npm ci --workspace agents\/node --workspace demo-services --omit=dev/.test(r.args.join(' ')),
      ),
    );
  });

  it('listens on the pod address and keeps SQLite on the volume', () => {
    const env = envOf(runtime);
    assert.equal(env.HOST, '0.0.0.0');
    assert.equal(env.DEMO_DATA_DIR, '/data');
    assert.ok(all(runtime, 'VOLUME').some((v) => v.args.join(' ').includes('/data')));
  });
});

describe('the Dockerfile model itself', () => {
  it('maps image paths back through directory and file COPYs', () => {
    const runtime = finalStage(parsed('server'));
    assert.deepEqual(originOf(runtime, '/app/server/bin/signalbox-server.mjs', isDirectory), {
      origin: 'server/bin/signalbox-server.mjs',
    });
    assert.equal(
      originOf(runtime, '/app/server/src/main.ts', isDirectory),
      undefined,
      'sources are not in the runtime image',
    );
    assert.equal(originOf(runtime, '/app/package.json', isDirectory), undefined);
  });

  it('catches an ignore file that drops a copied path', () => {
    const filter = dockerignore().add(['*', '!server/package.json']);
    assert.equal(filter.ignores('server/bin/signalbox-server.mjs'), true);
    assert.equal(filter.ignores('server/package.json'), false);
  });
});
