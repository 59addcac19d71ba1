import { describe, expect, it } from 'vitest';
import { accessFor } from '../../functions/auth/api-access.js';
import { auditName } from '../../functions/auth/principal.js';
import { hasRole, may, ROLES } from '../../functions/auth/roles.js';

describe('roles', () => {
  it('orders viewer < agent < lead < admin, each with everything below it', () => {
    expect(ROLES).toEqual(['viewer', 'agent', 'lead', 'admin']);
    expect(
      ROLES.map((role) => [role, may(role, 'read'), may(role, 'decideApprovals'), may(role, 'redrive'), may(role, 'switchCrisis')]),
    ).toEqual([
      ['viewer', true, false, false, false],
      ['agent', true, true, true, false],
      ['lead', true, true, true, true],
      ['admin', true, true, true, true],
    ]);
    expect(ROLES.filter((role) => may(role, 'administer'))).toEqual(['admin']);
    expect(hasRole('lead', 'agent')).toBe(true);
    expect(hasRole('agent', 'lead')).toBe(false);
  });

  it.each([
    ['GET', '/api/approvals', 'viewer', false],
    ['GET', '/api/crisis', 'viewer', false],
    ['POST', '/api/approvals/act_1/approve', 'agent', true],
    ['POST', '/api/approvals/act_1/reject', 'agent', true],
    ['POST', '/api/dead-letters/actions/redrive', 'agent', true],
    ['POST', '/api/crisis/on', 'lead', true],
    ['POST', '/api/crisis/off', 'lead', true],
    // Not listed: closed to all but an admin until someone says otherwise.
    ['POST', '/api/crisis', 'admin', false],
    ['DELETE', '/api/approvals/act_1', 'admin', false],
    ['POST', '/api/approvals/act_1/approve/extra', 'admin', false],
  ])('%s %s needs %s', (method, path, role, recordsWho) => {
    expect(accessFor(method, path)).toMatchObject({ role, recordsWho });
  });

  it('names a user in the audit as user:<name>, the API token as token', () => {
    expect(auditName({ kind: 'user', name: 'maya', role: 'lead' })).toBe('user:maya');
    expect(auditName({ kind: 'token', role: 'admin' })).toBe('token');
  });
});
