// The acknowledgement sender: one call at a time, the newest value next, so an older
// acknowledgement can never arrive after a newer one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatestSender } from '../src/control-plane/latest-sender.js';

/** A send function whose calls end when the test says so. */
function controlledSend() {
  const calls: { value: number; end(delivered?: boolean, throws?: boolean): void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = (value: number) =>
    new Promise<boolean>((resolve, reject) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      calls.push({
        value,
        /** `delivered`: what the call resolves with; `throws`: it rejects instead. */
        end(delivered = true, throws = false) {
          inFlight -= 1;
          if (throws) reject(new Error('connection refused'));
          else resolve(delivered);
        },
      });
    });
  return { send, calls, maxInFlight: () => maxInFlight };
}

const RETRY = { initialMs: 20, maxMs: 40, jitter: 0 };
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('latest sender', () => {
  it('sends one value at a time, and only the newest of those set meanwhile', async () => {
    const fake = controlledSend();
    const sender = new LatestSender(fake.send, RETRY);
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
    const sender = new LatestSender(fake.send, RETRY);
    sender.resend();
    assert.equal(fake.calls.length, 0, 'nothing set, nothing sent');
    sender.set(1);
    sender.resend(); // a reconnect while the first call is out
    fake.calls[0]?.end(false, true);
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

  it('tries a value that was not delivered again after a backoff, until it is or a newer one replaces it', async () => {
    const fake = controlledSend();
    const sender = new LatestSender(fake.send, RETRY);
    sender.set(1);
    fake.calls[0]?.end(false);
    await settle();
    assert.equal(fake.calls.length, 1, 'not at once');
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(
      fake.calls.map((c) => c.value),
      [1, 1],
      'again after the backoff',
    );
    fake.calls[1]?.end(false);
    await settle();
    sender.set(2); // a newer value does not wait for the retry
    assert.deepEqual(
      fake.calls.map((c) => c.value),
      [1, 1, 2],
    );
    fake.calls[2]?.end(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(fake.calls.length, 3, 'delivered: nothing more, no retry of the older value');
    sender.stop();
  });

  it('stops retrying when stopped', async () => {
    const fake = controlledSend();
    const sender = new LatestSender(fake.send, RETRY);
    sender.set(1);
    fake.calls[0]?.end(false);
    await settle();
    sender.stop();
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(fake.calls.length, 1);
    sender.set(2);
    assert.equal(fake.calls.length, 1, 'nothing sent after stop');
  });
});
