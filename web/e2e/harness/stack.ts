// Everything a browser test needs: the real control plane on a temp SQLite store (in-process,
// port 0), the production dashboard pointed at it, and a browser. One call, one close().
import type { Browser } from 'playwright-core';
import type { Settings } from '../../../server/src/settings.js';
import { type RunningServer, startServer } from '../../../server/test/helpers/server.js';
import { createTestStore, type TestStore } from '../../../server/test/helpers/stores.js';
import { ensureBuild } from '../../scripts/production-build.js';
import { launchBrowser } from './browser.js';
import { type RunningDashboard, startDashboard } from './dashboard.js';

export interface Stack {
  server: RunningServer;
  dashboard: RunningDashboard;
  browser: Browser;
  /** Absolute dashboard URL for a path. */
  at(path: string): string;
  close(): Promise<void>;
}

export async function startStack(serverSettings: Partial<Settings> = {}): Promise<Stack> {
  const built = ensureBuild();
  built.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
  const store: TestStore = await createTestStore('sqlite');
  const server = await startServer({ store: store.url, ...serverSettings });
  const closers: (() => Promise<void>)[] = [() => server.close(), () => store.cleanup()];
  try {
    const buildMs = await built;
    if (buildMs > 0) console.log(`# next build took ${(buildMs / 1000).toFixed(1)} s`);
    const dashboard = await startDashboard(server.apiUrl);
    closers.unshift(() => dashboard.stop());
    const browser = await launchBrowser();
    closers.unshift(() => browser.close());
    return {
      server,
      dashboard,
      browser,
      at: (path) => `${dashboard.url}${path}`,
      async close() {
        for (const close of closers) await close().catch((error) => console.error(error));
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => {});
    throw error;
  }
}
