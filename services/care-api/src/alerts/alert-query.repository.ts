import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  ADHERENCE_RULE_PREFIXES,
  queueOfRule,
  type AlertExplanation,
  type AlertListQuery,
  type AlertNote,
  type AlertResponse,
  type AlertStatus,
  type Program,
  type Severity,
} from '@rpm/contracts';

interface AlertRow {
  id: string;
  patient_id: string;
  rule_id: string;
  rule_source: string;
  severity: Severity;
  severity_rank: number;
  kind: 'alert' | 'recheck';
  status: AlertStatus;
  summary: string;
  threshold: string;
  retrospective: boolean;
  raised_at: Date;
  measured_at: Date;
  updated_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  disposition: string | null;
  note: string | null;
  observations: { code: string; value: number; unit: string; originalValue: number | null; originalUnit: string | null; measuredAt: string }[];
  explanation: AlertExplanation | null;
  breaches: number;
  returned_to_normal_at: Date | null;
  assigned_to: string | null;
  assigned_at: Date | null;
  snoozed_until: Date | null;
  acknowledge_by: Date;
  escalated_at: Date | null;
  escalated_to: string | null;
  patient_name: string;
  patient_mrn: string;
  patient_programs: Program[];
  notes: AlertNote[];
}

/** Keyset cursor over the worklist order (severity desc, raised_at asc, id asc): stable while alerts arrive. */
interface Cursor {
  rank: number;
  raisedAt: string;
  id: string;
}

/** The largest value of PostgreSQL's smallint (severity_rank). */
const MAX_SEVERITY_RANK = 32_767;

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify([c.rank, c.raisedAt, c.id])).toString('base64url');

function decodeCursor(raw: string): Cursor {
  try {
    const [rank, raisedAt, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [number, string, string];
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    // Exactly what encodeCursor writes: a rank severity_rank (smallint) holds and a toISOString() time of year 1 to 9999.
    // Anything Date.parse merely tolerates ("1", year 0 or 275760) or a rank of 1e20 failed in PostgreSQL as a 500
    // (fuzzing, issue 8 section 4).
    const isoTime = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
    const storableRank = Number.isInteger(rank) && Math.abs(rank) <= MAX_SEVERITY_RANK;
    const storableTime = typeof raisedAt === 'string' && isoTime.test(raisedAt) && new Date(raisedAt).toISOString() === raisedAt;
    if (!storableRank || !storableTime || typeof id !== 'string' || !uuid.test(id)) {
      throw new Error('not a cursor');
    }
    return { rank, raisedAt, id };
  } catch {
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'cursor: not a cursor this API issued', issues: [{ field: 'cursor', reason: 'not a cursor this API issued' }] });
  }
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function toResponse(r: AlertRow): AlertResponse {
  return {
    id: r.id,
    patientId: r.patient_id,
    patient: { name: r.patient_name, mrn: r.patient_mrn, programs: r.patient_programs },
    ruleId: r.rule_id,
    ruleSource: r.rule_source,
    severity: r.severity,
    kind: r.kind,
    status: r.status,
    raisedAt: r.raised_at.toISOString(),
    measuredAt: r.measured_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    summary: r.summary,
    threshold: r.threshold,
    retrospective: r.retrospective,
    acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: iso(r.resolved_at),
    resolvedBy: r.resolved_by,
    disposition: r.disposition,
    note: r.note,
    observations: r.observations.map(({ originalValue, originalUnit, ...o }) => ({
      ...o,
      ...(originalValue !== null && originalUnit !== null ? { originalValue, originalUnit } : {}),
      measuredAt: new Date(o.measuredAt).toISOString(),
    })),
    explanation: r.explanation,
    breaches: r.breaches,
    returnedToNormalAt: iso(r.returned_to_normal_at),
    queue: queueOfRule(r.rule_id),
    assignedTo: r.assigned_to,
    assignedAt: iso(r.assigned_at),
    snoozedUntil: iso(r.snoozed_until),
    acknowledgeBy: r.acknowledge_by.toISOString(),
    escalatedAt: iso(r.escalated_at),
    escalatedTo: r.escalated_to,
    notes: r.notes.map((n) => ({ ...n, createdAt: new Date(n.createdAt).toISOString() })),
  };
}

const SELECT_ALERTS = `
  SELECT a.*,
         COALESCE((SELECT json_agg(json_build_object('code', e.code, 'value', e.value, 'unit', e.unit, 'originalValue', e.original_value,
                                                     'originalUnit', e.original_unit, 'measuredAt', e.measured_at)
                                   ORDER BY e.measured_at, e.component)
                     FROM alert_evidence e WHERE e.alert_id = a.id), '[]') AS observations,
         COALESCE((SELECT json_agg(json_build_object('id', n.id, 'author', n.author, 'body', n.body, 'createdAt', n.created_at) ORDER BY n.created_at, n.id)
                     FROM alert_notes n WHERE n.alert_id = a.id), '[]') AS notes,
         p.name AS patient_name, p.mrn AS patient_mrn, p.programs AS patient_programs
    FROM alerts a JOIN patients p ON p.id = a.patient_id`;

@Injectable()
export class AlertQueryRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The worklist: most severe first, then oldest; careTeams null means every patient; `me` resolves assignee=me. */
  async list(query: AlertListQuery, careTeams: readonly string[] | null, me: string): Promise<{ items: AlertResponse[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (query.status === 'active') where.push(`a.status <> 'resolved'`);
    else if (query.status) where.push(`a.status = ${param(query.status)}`);
    if (query.patientId) where.push(`a.patient_id = ${param(query.patientId)}`);
    if (query.programme === 'general') where.push(`cardinality(p.programs) = 0`);
    else if (query.programme) where.push(`${param(query.programme)} = ANY(p.programs)`);
    if (query.assignee === 'none') where.push(`a.assigned_to IS NULL`);
    else if (query.assignee) where.push(`a.assigned_to = ${param(query.assignee === 'me' ? me : query.assignee)}`);
    if (!query.includeSnoozed) where.push(`(a.snoozed_until IS NULL OR a.snoozed_until <= now())`);
    if (query.queue) {
      const adherence = `a.rule_id LIKE ANY(${param(ADHERENCE_RULE_PREFIXES.map((p) => `${p}%`))}::text[])`;
      where.push(query.queue === 'adherence' ? adherence : `NOT ${adherence}`);
    }
    if (careTeams) where.push(`p.care_team_id = ANY(${param([...careTeams])}::text[])`);
    if (query.cursor) {
      const c = decodeCursor(query.cursor);
      const rank = param(c.rank);
      const at = param(c.raisedAt);
      const id = param(c.id);
      where.push(`(a.severity_rank < ${rank} OR (a.severity_rank = ${rank} AND (a.raised_at, a.id) > (${at}::timestamptz, ${id}::uuid)))`);
    }
    const sql = `${SELECT_ALERTS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY a.severity_rank DESC, a.raised_at, a.id LIMIT ${param(query.limit + 1)}`;
    const rows = (await this.db.query(sql, params)) as AlertRow[];
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toResponse),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ rank: last.severity_rank, raisedAt: last.raised_at.toISOString(), id: last.id }) : null,
    };
  }

  async get(id: string, careTeams: readonly string[] | null): Promise<AlertResponse | null> {
    const rows = (await this.db.query(
      `${SELECT_ALERTS} WHERE a.id = $1 ${careTeams ? 'AND p.care_team_id = ANY($2::text[])' : ''}`,
      careTeams ? [id, [...careTeams]] : [id],
    )) as AlertRow[];
    return rows[0] ? toResponse(rows[0]) : null;
  }
}
