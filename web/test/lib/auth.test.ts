import assert from 'node:assert/strict';
import { it } from 'node:test';
import { safeNextPath } from '../../src/lib/auth';

it('follows only same-site paths after sign-in', () => {
  assert.equal(safeNextPath('/traces?service=a'), '/traces?service=a');
  for (const bad of [
    null,
    undefined,
    '',
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    '/sign-in?next=/x',
  ]) {
    assert.equal(safeNextPath(bad), '/', String(bad));
  }
});
