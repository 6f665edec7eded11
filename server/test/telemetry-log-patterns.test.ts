// Log patterns as pure functions: what a template keeps and masks, that a template read back as
// a LIKE pattern or an in-memory matcher finds the records it came from (and no others), and the
// grouping's counts, order and examples.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  groupPatterns,
  likePatternOf,
  patternMatcher,
  TEMPLATE_SOURCE_CHARS,
  templateOf,
} from '../src/telemetry/query/log-patterns.js';

describe('log patterns', () => {
  it('masks every word that holds a digit, and UUIDs whole', () => {
    const cases: [string, string][] = [
      ['timed out after 812ms', 'timed out after <*>'],
      ['GET /products/KB-001 200 in 3.5 ms', 'GET <*> <*> in <*> ms'],
      ['user=42 tenant=acme status=500', 'user=<*> tenant=acme status=<*>'],
      ['connection refused 10.0.0.7:5432 (retry 3/5)', 'connection refused <*> (retry <*>)'],
      ['session abcdefab-cdef-abcd-efab-cdefabcdefab expired', 'session <*> expired'],
      ['trace 4bf92f3577b34da6a3ce929d0e0e4736 sampled', 'trace <*> sampled'],
      ['injected fault (FAULT_ERROR_RATE)', 'injected fault (FAULT_ERROR_RATE)'],
      ['order "ORD-7" for [eu-1]', 'order "<*>" for [<*>]'],
      ['  two  spaces kept 1  ', '  two  spaces kept <*>  '],
    ];
    for (const [body, template] of cases) assert.equal(templateOf(body), template, body);
  });

  it('makes a template of the first line only, and of its first characters', () => {
    assert.equal(templateOf('Error: boom 7\r\n    at f (a.js:10:3)\n    at g'), 'Error: boom <*>');
    const long = `${'word '.repeat(200)}tail`;
    assert.equal(templateOf(long).length, TEMPLATE_SOURCE_CHARS);
  });

  it('reads a template back as a LIKE pattern with its % and _ literal', () => {
    assert.equal(likePatternOf('quota_exceeded: <*> of plan'), 'quota\\_exceeded: % of plan%');
    assert.equal(likePatternOf('cache hit% low'), 'cache hit\\% low%');
    assert.equal(likePatternOf('<*> and <*>'), '% and %%');
    assert.equal(likePatternOf('back\\slash <*>'), 'back\\\\slash %%');
  });

  it('matches in memory what the LIKE pattern matches: anchored, any case, across lines', () => {
    const bodies = [
      'quota_exceeded: 100% of plan',
      'quotaXexceeded: 5 of plan',
      'QUOTA_EXCEEDED: 7 OF PLAN, again',
      'over quota_exceeded: 5 of plan',
      'cache hit% low',
      'cache hitXXX low',
      'Error: boom 7\n    at f (a.js:10:3)',
      'Error: boom (no digit)',
    ];
    const matching = (template: string) => bodies.filter(patternMatcher(template));
    assert.deepEqual(matching(templateOf(bodies[0] as string)), [
      'quota_exceeded: 100% of plan',
      'QUOTA_EXCEEDED: 7 OF PLAN, again',
    ]);
    assert.deepEqual(matching('cache hit% low'), ['cache hit% low']);
    // A variable stands for any text (as Loki's <_>), so a pattern also takes in the records of a
    // more particular one that fits it.
    assert.deepEqual(matching(templateOf(bodies[6] as string)), [
      'Error: boom 7\n    at f (a.js:10:3)',
      'Error: boom (no digit)',
    ]);
    // Every body matches its own template.
    for (const body of bodies) assert.ok(patternMatcher(templateOf(body))(body), body);
  });

  it('groups records: most frequent first, then most severe; counts, services, times and the newest example', () => {
    const record = (t: number, body: string, service: string, severityNumber = 9) => ({
      timeNs: BigInt(t),
      severityNumber,
      body,
      service,
    });
    const records = [
      record(5, 'job 1 done in 30ms', 'worker'),
      record(1, 'job 2 done in 31ms', 'worker'),
      record(9, 'job 3 done in 32ms', 'cron'),
      record(3, 'db down 10.0.0.1', 'api', 17),
      record(7, 'db down 10.0.0.2', 'api', 21),
      record(4, 'cache miss 7', 'api'),
      record(6, 'cache miss 8', 'api'),
    ];
    const patterns = groupPatterns(records);
    assert.deepEqual(
      patterns.map((p) => [p.template, p.count, p.maxSeverity]),
      [
        ['job <*> done in <*>', 3, 9],
        ['db down <*>', 2, 21],
        ['cache miss <*>', 2, 9],
      ],
    );
    const [job, db] = patterns;
    assert.deepEqual(job?.services, [
      { service: 'worker', count: 2 },
      { service: 'cron', count: 1 },
    ]);
    assert.equal(job?.firstNs, 1n);
    assert.equal(job?.lastNs, 9n);
    assert.equal(job?.example.body, 'job 3 done in 32ms');
    assert.equal(db?.example.body, 'db down 10.0.0.2');
    assert.deepEqual(groupPatterns([]), []);
    assert.deepEqual(job?.series, [], 'no steps asked for');
  });

  it('counts each pattern per step of the window when asked', () => {
    const record = (t: number, body: string) => ({ timeNs: BigInt(t), severityNumber: 9, body, service: 's' });
    const patterns = groupPatterns(
      [record(10, 'a 1'), record(19, 'a 2'), record(20, 'a 3'), record(59, 'a 4'), record(35, 'b'), record(5, 'a 0')],
      { fromNs: 10n, stepNs: 10n, count: 5 },
    );
    assert.deepEqual(
      patterns.map((p) => [p.template, p.series]),
      [
        ['a <*>', [2, 1, 0, 0, 1]],
        ['b', [0, 0, 1, 0, 0]],
      ],
      'a record before the first step or past the last is counted in none',
    );
  });
});
