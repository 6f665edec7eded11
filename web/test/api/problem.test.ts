import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isRetryable, toProblem } from '../../src/api/problem';

it('normalizes problem+json, errors and strings into one shape', () => {
  const api = toProblem({
    type: 'https://signalbox.dev/problems/sb-validation',
    title: 'Invalid request',
    status: 400,
    detail: 'Fix these fields',
    code: 'SB_VALIDATION',
    errors: [{ path: '/query/limit', message: 'must be <= 1000' }, { junk: true }],
  });
  assert.equal(api.status, 400);
  assert.equal(api.code, 'SB_VALIDATION');
  assert.deepEqual(api.errors, [{ path: '/query/limit', message: 'must be <= 1000' }]);
  assert.equal(toProblem(new TypeError('Failed to fetch')).title, 'The dashboard server does not answer');
  assert.equal(toProblem('boom').detail, 'boom');
});

it('retries server failures and network errors, not refusals', () => {
  assert.equal(isRetryable({ status: 404, title: 'Not found', detail: '' }), false);
  assert.equal(isRetryable({ status: 503, title: 'Unavailable', detail: '' }), true);
  assert.equal(isRetryable(new TypeError('Failed to fetch')), true);
});
