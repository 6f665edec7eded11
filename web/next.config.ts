// Next.js settings for the dashboard. The API address is NOT here: it is read once at server
// start from SIGNALBOX_API_URL (src/lib/settings.ts), so one build runs against any server.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

// The npm workspace root holds the lockfile and the hoisted node_modules.
const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const config: NextConfig = {
  // The container image runs .next/standalone/web/server.js (deploy/docker/web.Dockerfile):
  // next build traces exactly the files that server needs. `next start` still works on it.
  output: 'standalone',
  reactStrictMode: true,
  poweredByHeader: false,
  turbopack: { root: workspaceRoot },
  outputFileTracingRoot: workspaceRoot,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default config;
