import type { Repository } from 'typeorm';
import type { AuditEntry } from './audit-entry.entity';
import { AuditLog, type AuditRecord } from './audit-log.service';

const aRecord = (overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  actor: 'nurse-1',
  role: 'nurse',
  action: 'GET /api/v1/dead-letters/:id',
  resourceType: 'dead-letter',
  resourceId: '42',
  patientId: null,
  outcome: 200,
  sourceIp: '127.0.0.1',
  ...overrides,
});

function auditLogWithFakeTable() {
  const inserted: Partial<AuditEntry>[][] = [];
  const entries = { insert: async (rows: Partial<AuditEntry>[]) => void inserted.push(rows) } as unknown as Repository<AuditEntry>;
  return { log: new AuditLog(entries), inserted };
}

describe('AuditLog', () => {
  // Found by fuzzing (issue 8, section 4): GET /api/v1/dead-letters/%00 answered 500, PostgreSQL refusing the NUL of the audit row.
  it('stores a NUL of a path parameter as U+FFFD: PostgreSQL text cannot hold it, and the request must not fail for it', async () => {
    const { log, inserted } = auditLogWithFakeTable();
    await log.recordAll([aRecord({ resourceId: 'a\u0000b', actor: 'x\u0000' })]);
    expect(inserted[0]?.[0]).toMatchObject({ resourceId: 'a\ufffdb', actor: 'x\ufffd' });
  });

  it('keeps a patient id only when it is a UUID', async () => {
    const { log, inserted } = auditLogWithFakeTable();
    await log.recordAll([aRecord({ patientId: 'not-a-uuid' }), aRecord({ patientId: '3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f', resourceId: null })]);
    expect(inserted[0]?.map((r) => [r.patientId, r.resourceId])).toEqual([
      [null, '42'],
      ['3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f', null],
    ]);
  });
});
