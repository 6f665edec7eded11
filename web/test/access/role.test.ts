// Which actions the dashboard shows for a token: the server's role order, and everything in
// open mode (where the API itself lets every call through).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Whoami } from '../../src/api/ops-types.js';
import { roleAllows } from '../../src/components/access/use-access.js';

const who = (role: Whoami['role'], open_mode = false): Whoami => ({
  id: 'x',
  kind: 'token',
  name: 'x',
  role,
  open_mode,
});

describe('roleAllows', () => {
  it('orders viewer < operator < admin', () => {
    assert.equal(roleAllows(who('viewer'), 'viewer'), true);
    assert.equal(roleAllows(who('viewer'), 'operator'), false);
    assert.equal(roleAllows(who('operator'), 'operator'), true);
    assert.equal(roleAllows(who('operator'), 'admin'), false);
    assert.equal(roleAllows(who('admin'), 'operator'), true);
  });
  it('allows everything in open mode and nothing before whoami answered or without a role', () => {
    assert.equal(roleAllows(who(null, true), 'admin'), true);
    assert.equal(roleAllows(undefined, 'viewer'), false);
    assert.equal(roleAllows(who(null), 'viewer'), false);
  });
});
