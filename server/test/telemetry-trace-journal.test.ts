// The ingest journal's file format and bookkeeping: records come back as appended, a record cut
// short by a crash ends its segment, segments go once their records are stored, and caughtUp
// waits for exactly the records appended before it.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TraceJournal } from '../src/telemetry/ingest/trace-journal.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signalbox-journal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const body = (n: number, size = 100) => Buffer.alloc(size, n);
const segments = () => readdirSync(dir).sort();

describe('trace journal', () => {
  it('gives an earlier run’s unstored records back in order, then forgets them', () => {
    const first = new TraceJournal(dir);
    const a = first.append(body(1), 'protobuf', 10);
    const b = first.append(body(2), 'json', 20);
    const c = first.append(body(3), 'protobuf', 30);
    assert.deepEqual([a, b, c], [1, 2, 3]);
    assert.equal(first.unstoredItems, 60);
    first.stored(b);
    assert.equal(first.unstoredItems, 40);
    first.close(); // killed here: a and c were never stored

    const second = new TraceJournal(dir);
    const recovered = [...second.recovered()];
    // Every record of a segment that still holds an unstored one comes back (storing b again adds nothing).
    assert.deepEqual(
      recovered.map((r) => [r.seq, r.encoding, r.body[0]]),
      [
        [1, 'protobuf', 1],
        [2, 'json', 2],
        [3, 'protobuf', 3],
      ],
    );
    assert.equal(second.append(body(4), 'protobuf', 1), 4, 'numbering goes on after the earlier run');
    second.dropRecovered();
    second.stored(4);
    second.close();
    assert.deepEqual(segments(), [], 'nothing left once everything is stored');
    assert.deepEqual([...new TraceJournal(dir).recovered()], []);
  });

  it('ends a segment at a record cut short or damaged, keeping the records before it', () => {
    const journal = new TraceJournal(dir);
    journal.append(body(1), 'protobuf', 1);
    journal.append(body(2), 'protobuf', 1);
    journal.close();
    const [file] = segments();
    const path = join(dir, file as string);
    // The process died inside the third record's write.
    appendFileSync(path, Buffer.concat([Buffer.from('SBJ1'), Buffer.alloc(30, 7)]));
    assert.deepEqual(
      [...new TraceJournal(dir).recovered()].map((r) => r.seq),
      [1, 2],
    );
    // The second record's body lost its last byte.
    truncateSync(path, statSync(path).size - 35);
    assert.deepEqual(
      [...new TraceJournal(dir).recovered()].map((r) => r.seq),
      [1],
    );
  });

  it('deletes a segment once it is no longer written and all of its records are stored', () => {
    const journal = new TraceJournal(dir, { segmentBytes: 250 });
    const seqs = [1, 2, 3, 4, 5].map((n) => journal.append(body(n), 'protobuf', 1));
    assert.equal(segments().length, 3, 'two records of 120 bytes per segment of 250');
    journal.stored(seqs[0] as number);
    assert.equal(segments().length, 3, 'its other record is not stored yet');
    journal.stored(seqs[1] as number);
    assert.equal(segments().length, 2);
    journal.stored(seqs[4] as number);
    assert.equal(segments().length, 2, 'the segment being written stays');
    assert.deepEqual(journal.read(seqs[2] as number), body(3), 'an unstored record reads back');
    journal.stored(seqs[2] as number);
    journal.stored(seqs[3] as number);
    assert.equal(segments().length, 1);
    journal.close();
    assert.deepEqual(segments(), []);
  });

  it('caughtUp waits for the records appended before it, not for later ones', async () => {
    const journal = new TraceJournal(dir);
    await journal.caughtUp(1000); // nothing appended: at once
    const a = journal.append(body(1), 'protobuf', 1);
    let done = false;
    const waiting = journal.caughtUp(5000).then(() => {
      done = true;
    });
    const b = journal.append(body(2), 'protobuf', 1);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(done, false);
    journal.stored(a);
    await waiting;
    assert.equal(done, true, 'a stored: b came after the call');
    const started = performance.now();
    await journal.caughtUp(50); // b is never stored: the wait ends at the timeout
    assert.ok(performance.now() - started >= 45);
    journal.stored(b);
    journal.close();
  });
});
