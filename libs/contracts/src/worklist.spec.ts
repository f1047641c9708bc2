import { AuditQuery } from './worklist';

describe('AuditQuery', () => {
  it('takes RFC 3339 bounds with any offset', () => {
    expect(AuditQuery.parse({ from: '2026-03-02T08:15:00-05:00', to: '0001-01-01T12:00:00Z' })).toMatchObject({ from: '2026-03-02T08:15:00-05:00', limit: 100 });
  });

  // Found by fuzzing (issue 8, section 4): PostgreSQL reads no year 0000, so GET /api/v1/audit?from=0000-... was a 500.
  it.each(['0000-01-01T00:00:00Z', '0000-01-01T00:00:00+23:59', '0001-01-01T00:00:00+01:00'])('refuses %s, before year 1 in the text or in UTC', (bound) => {
    expect(AuditQuery.safeParse({ from: bound }).success).toBe(false);
    expect(AuditQuery.safeParse({ to: bound }).success).toBe(false);
  });
});
