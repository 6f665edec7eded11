// The acknowledgement sender: one call at a time, the newest value next, so an older
// acknowledgement can never arrive after a newer one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatestSender } from '../src/control-plane/latest-sender.js';

/** A send function whose calls end when the test says so. */
function controlledSend() {
  const calls: { value: number; end(ok?: boolean): void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = (value: number) =>
    new Promise<void>((resolve, reject) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      calls.push({
        value,
        end(ok = true) {
          inFlight -= 1;
          if (ok) resolve();
          else reject(new Error('connection refused'));
        },
      });
    });
  return { send, calls, maxInFlight: () => maxInFlight };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('latest sender', () => {
  it('sends one value at a time, and only the newest of those set meanwhile', async () => {
    const fake = controlledSend();
    const sender = new LatestSender(fake.send);
    sender.set(1);
    sender.set(2);
    sender.set(3);
    assert.deepEqual(
      fake.calls.map((c) => c.value),
      [1],
    );
    fake.calls[0]?.end();
    await settle();
    assert.deepEqual(
      fake.calls.map((c) => c.value),
      [1, 3],
      'version 2 was superseded before it could be sent',
    );
    fake.calls[1]?.end();
    await settle();
    assert.equal(fake.calls.length, 2, 'nothing more to send');
    assert.equal(fake.maxInFlight(), 1);
  });

  it('sends the latest again on request, after the call in flight, even after a failure', async () => {
    const fake = controlledSend();
    const sender = new LatestSender(fake.send);
    sender.resend();
    assert.equal(fake.calls.length, 0, 'nothing set, nothing sent');
    sender.set(1);
    sender.resend(); // a reconnect while the first call is out
    fake.calls[0]?.end(false);
    await settle();
    assert.deepEqual(
      fake.calls.map((c) => c.value),
      [1, 1],
    );
    sender.set(2);
    fake.calls[1]?.end();
    await settle();
    assert.deepEqual(
      fake.calls.map((c) => c.value),
      [1, 1, 2],
    );
    assert.equal(sender.latest, 2);
    assert.equal(fake.maxInFlight(), 1);
  });
});
