// The agent's timers and its own server are unref()'d so they never hold a host process open.
// A test that awaits them has nothing else keeping the event loop alive (a real service has its
// server), so the test file holds one handle of its own while it runs.
import { after, before } from 'node:test';

export function keepEventLoopAlive(): void {
  let handle: NodeJS.Timeout | undefined;
  before(() => {
    handle = setInterval(() => {}, 1_000);
  });
  after(() => clearInterval(handle));
}
