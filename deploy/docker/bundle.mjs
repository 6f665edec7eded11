#!/usr/bin/env node
// Bundles a workspace's TypeScript entry point, with the workspace packages it imports (the
// agent exports its TypeScript sources), into ES modules for a production image:
//   node deploy/docker/bundle.mjs <entry.ts> <outdir> <workspace>...   → <outdir>/<entry>.js
// npm packages stay external, resolved at run time from the production node_modules that the
// image installs for the same workspaces; so every package the bundle imports must be a
// dependency (not a devDependency) of one of them, and bundle() reports any that is not.
// Dynamic imports become chunks of their own (splitting), so a package imported only behind an
// `await import()` still loads only then: the agent relies on that to start OpenTelemetry's
// instrumentations before Fastify, http and pg are loaded.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export function productionDependencies(root, workspaces) {
  const names = new Set();
  for (const workspace of workspaces) {
    const manifest = JSON.parse(readFileSync(join(root, workspace, 'package.json'), 'utf8'));
    for (const name of Object.keys(manifest.dependencies ?? {})) names.add(name);
  }
  return names;
}

/**
 * Bundles entry into outdir. Resolves with esbuild's metafile, the npm packages the bundle
 * imports at run time and those of them that no listed workspace declares as a production
 * dependency.
 */
export async function bundle({ root, entry, outdir, workspaces, write = true }) {
  const dependencies = productionDependencies(root, workspaces);
  const workspaceNames = new Set(
    workspaces.map((w) => JSON.parse(readFileSync(join(root, w, 'package.json'), 'utf8')).name),
  );
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    write,
    bundle: true,
    platform: 'node',
    target: 'node20.18',
    format: 'esm',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [
      {
        // Every bare import except our own workspaces stays external.
        name: 'external-packages',
        setup(builder) {
          builder.onResolve({ filter: /^[^./]/ }, (args) => {
            if (BUILTINS.has(args.path)) return { path: args.path, external: true };
            if (workspaceNames.has(packageOf(args.path))) return undefined;
            return { path: args.path, external: true };
          });
        },
      },
    ],
    // Bundled CommonJS code may call require(); give the ES module one.
    banner: {
      js: "import { createRequire as __sbCreateRequire } from 'node:module';\nconst require = __sbCreateRequire(import.meta.url);",
    },
  });
  const imported = new Set();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const item of output.imports) {
      if (item.external && !BUILTINS.has(item.path)) imported.add(packageOf(item.path));
    }
  }
  const undeclared = [...imported].filter((name) => !dependencies.has(name)).sort();
  return { metafile: result.metafile, imported: [...imported].sort(), undeclared };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [entry, outdir, ...workspaces] = process.argv.slice(2);
  if (!entry || !outdir || workspaces.length === 0) {
    process.stderr.write('usage: bundle.mjs <entry.ts> <outdir> <workspace>...\n');
    process.exit(2);
  }
  const root = process.cwd();
  const { undeclared } = await bundle({ root, entry: resolve(root, entry), outdir: resolve(root, outdir), workspaces });
  if (undeclared.length > 0) {
    process.stderr.write(
      `bundle.mjs: ${undeclared.join(', ')} imported at run time but not a production dependency of ${workspaces.join(', ')}\n`,
    );
    process.exit(1);
  }
}
