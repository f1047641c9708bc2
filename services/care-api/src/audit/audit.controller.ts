import { Controller, Get, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditQuery, type AuditListResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { Roles } from '../auth/roles.decorator';

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  role: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  patient_id: string | null;
  outcome: number;
  source_ip: string | null;
}

/** The audit trail for admins: who read or changed which patient's data, when, from where, newest first. */
@Controller('api/v1/audit')
export class AuditController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  @Roles('admin')
  async list(@Query() query: unknown): Promise<AuditListResponse> {
    const q = parseRequest(AuditQuery, query);
    const rows = (await this.db.query(
      `SELECT id::text, at, actor, role, action, resource_type, resource_id, patient_id, outcome, source_ip FROM audit_log
        WHERE ($1::uuid IS NULL OR patient_id = $1) AND ($2::text IS NULL OR actor = $2)
          AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4) AND ($5::bigint IS NULL OR id < $5)
        ORDER BY id DESC LIMIT $6`,
      [q.patientId ?? null, q.actor ?? null, q.from ?? null, q.to ?? null, q.before ?? null, q.limit + 1],
    )) as AuditRow[];
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: r.actor,
        role: r.role,
        action: r.action,
        resourceType: r.resource_type,
        resourceId: r.resource_id,
        patientId: r.patient_id,
        outcome: r.outcome,
        sourceIp: r.source_ip,
      })),
      nextBefore: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null,
    };
  }
}
