// The group-commit queue as the telemetry module configures it: the next group is handed to the
// writer while one is committing (COMMITS_IN_FLIGHT), never more, and every batch resolves only
// once its own commit has succeeded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { GroupCommitQueue } from '../src/telemetry/ingest/group-commit-queue.js';
import { COMMITS_IN_FLIGHT } from '../src/telemetry/telemetry-module.js';

interface HeldCommit {
  batches: string[];
  finish(): void;
}

describe('group commit with commits in flight', () => {
  it('hands the next group over while one commits, and no more than COMMITS_IN_FLIGHT', async () => {
    assert.equal(COMMITS_IN_FLIGHT, 2);
    const held: HeldCommit[] = [];
    const queue = new GroupCommitQueue<string>(
      (batches) =>
        new Promise<void>((resolve) => {
          held.push({ batches, finish: resolve });
        }),
      { maxQueuedItems: 1000, maxItemsPerCommit: 100, maxConcurrentCommits: COMMITS_IN_FLIGHT },
    );
    const done = new Set<string>();
    const submit = (batch: string) => void queue.submit(batch, 1).then(() => done.add(batch));
    submit('a');
    await nextTurn();
    await nextTurn();
    submit('b');
    await nextTurn();
    await nextTurn();
    assert.deepEqual(
      held.map((c) => c.batches),
      [['a'], ['b']],
      'b is handed over while a still commits',
    );
    submit('c');
    submit('d');
    await nextTurn();
    await nextTurn();
    assert.equal(held.length, 2, 'a third commit waits for one of the two');
    // b commits first: b alone resolves; c and d go together into the freed slot.
    held[1]?.finish();
    await nextTurn();
    await nextTurn();
    assert.deepEqual([...done], ['b']);
    assert.deepEqual(held[2]?.batches, ['c', 'd']);
    held[0]?.finish();
    held[2]?.finish();
    await queue.close();
    assert.deepEqual(new Set(done), new Set(['a', 'b', 'c', 'd']));
  });
});
