// The dashboard's diff of two configuration documents: each line names the path, and the value
// before is read where the operation applies (also when earlier operations moved things).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffDocuments } from '../../src/components/config/config-diff.js';
import { checkDraft } from '../../src/components/config/schema-check.js';

describe('config diff', () => {
  it('is empty for equal documents', () => {
    assert.deepEqual(diffDocuments({ a: 1, b: [1, 2] }, { a: 1, b: [1, 2] }), []);
  });

  it('names added, removed and changed paths with their values before and after', () => {
    const lines = diffDocuments(
      { timeout_ms: 500, retries: 2, fault: { error_rate: 0 } },
      { timeout_ms: 800, fault: { error_rate: 0.5 }, region: 'eu' },
    );
    const byPath = Object.fromEntries(lines.map((l) => [l.path, l]));
    assert.deepEqual(byPath['/timeout_ms'], { op: 'replace', path: '/timeout_ms', before: 500, after: 800 });
    assert.deepEqual(byPath['/retries'], { op: 'remove', path: '/retries', before: 2 });
    assert.deepEqual(byPath['/fault/error_rate'], { op: 'replace', path: '/fault/error_rate', before: 0, after: 0.5 });
    assert.deepEqual(byPath['/region'], { op: 'add', path: '/region', after: 'eu' });
    assert.equal(lines.length, 4);
  });

  it('reads array removals where they apply (indexes shift as items go)', () => {
    const lines = diffDocuments({ hosts: ['a', 'b', 'c', 'd'] }, { hosts: ['a', 'd'] });
    const removed = lines.filter((l) => l.op === 'remove').map((l) => l.before);
    assert.deepEqual(removed.sort(), ['b', 'c']);
  });

  it('matches named array items, so a reorder is a move and a change names the item', () => {
    const before = {
      routes: [
        { name: 'a', weight: 1 },
        { name: 'b', weight: 2 },
      ],
    };
    const after = {
      routes: [
        { name: 'b', weight: 3 },
        { name: 'a', weight: 1 },
      ],
    };
    const lines = diffDocuments(before, after);
    assert.ok(
      lines.some((l) => l.op === 'move'),
      JSON.stringify(lines),
    );
    const weight = lines.find((l) => l.path.endsWith('/weight'));
    assert.equal(weight?.before, 2);
    assert.equal(weight?.after, 3);
  });

  it('a whole-document change (null to an object) is one replace', () => {
    assert.deepEqual(diffDocuments(null, { a: 1 }), [{ op: 'replace', path: '', before: null, after: { a: 1 } }]);
  });
});

describe('draft check', () => {
  const schema = {
    type: 'object',
    properties: { timeout_ms: { type: 'integer', minimum: 1 }, url: { type: 'string', format: 'uri' } },
    required: ['timeout_ms'],
    additionalProperties: false,
  };

  it('refuses text that is not JSON', () => {
    const check = checkDraft('{"timeout_ms": ', schema);
    assert.equal(check.ok, false);
    assert.equal(!check.ok && check.kind, 'syntax');
  });

  it('lists every place the draft breaks the schema, as the server does', () => {
    const check = checkDraft('{"timeout_ms": 0, "url": "not a uri", "extra": true}', schema);
    assert.equal(check.ok, false);
    if (check.ok) return;
    assert.equal(check.kind, 'schema');
    assert.deepEqual(check.problems.map((p) => p.path).sort(), ['', '/timeout_ms', '/url']);
    assert.ok(check.problems.some((p) => p.message === 'has unknown property "extra"'));
  });

  it('accepts a draft that satisfies the schema, and any JSON when there is none', () => {
    assert.deepEqual(checkDraft('{"timeout_ms": 5}', schema), { ok: true, value: { timeout_ms: 5 } });
    assert.deepEqual(checkDraft('[1]', null), { ok: true, value: [1] });
  });

  it('says when the schema itself does not compile', () => {
    const check = checkDraft('{}', { type: 'no-such-type' });
    assert.equal(check.ok, false);
    assert.match(!check.ok ? (check.problems[0]?.message ?? '') : '', /schema does not compile/);
  });
});
