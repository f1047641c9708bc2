import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuditEntry } from './audit-entry.entity';

export interface AuditRecord {
  readonly actor: string;
  readonly role: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string | null;
  readonly patientId: string | null;
  readonly outcome: number;
  /** Where the request came from: the TCP peer's address (behind a proxy, the proxy's: X-Forwarded-For is not trusted). */
  readonly sourceIp: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * PostgreSQL text cannot hold NUL: a path parameter such as `/api/v1/dead-letters/%00` would make
 * the audit insert (and so the request) fail with a 500. The row keeps the rest, NUL shown as U+FFFD.
 */
const storable = <T extends string | null>(text: T): T => (text === null ? text : (text.split('\u0000').join('\ufffd') as T));

/** The audit trail: one row per /api request, allowed or refused. Ids only, never patient data. */
@Injectable()
export class AuditLog {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async record(record: AuditRecord): Promise<void> {
    await this.recordAll([record]);
  }

  /** Several rows in one statement (a worklist page touches many patients). */
  async recordAll(records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.entries.insert(
      records.map((r) => ({
        ...r,
        actor: storable(r.actor),
        role: storable(r.role),
        action: storable(r.action),
        resourceId: storable(r.resourceId),
        patientId: r.patientId && UUID.test(r.patientId) ? r.patientId : null,
      })),
    );
  }
}

/** The client address of a request, without the IPv4-mapped IPv6 prefix. */
export function sourceIpOf(request: { ip?: string; socket?: { remoteAddress?: string } }): string | null {
  const ip = request.ip ?? request.socket?.remoteAddress ?? null;
  return ip ? ip.replace(/^::ffff:/, '') : null;
}

/** "/api/v1/patients/:id/observations" -> "observation"; "/api/v1/alerts/:id/resolve" -> "alert". */
export function resourceTypeOf(routePath: string): string {
  const nouns = routePath.split('/').filter((p) => p && p !== 'api' && !/^v\d+$/.test(p) && !p.startsWith(':'));
  const last = nouns[nouns.length - 1] ?? 'unknown';
  const noun = ['acknowledge', 'resolve', 'assign', 'unassign', 'snooze'].includes(last) ? (nouns[nouns.length - 2] ?? last) : last;
  return noun.replace(/s$/, '');
}
