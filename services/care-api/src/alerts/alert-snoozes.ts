import { ConflictException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AlertRaisedV1 } from '@rpm/contracts';
import { DEFAULT_RULES, SEVERITY_RANK, worsenedBeyondDeadband } from '@rpm/clinical-rules';
import { counter } from '@rpm/service-kit';
import { AlertEvidenceEntity } from './alert-evidence.entity';
import type { AlertEntity } from './alert.entity';

const brokenThrough = counter('rpm_worklist_snoozes_broken_total', 'Snoozes ended early because a worse value or a higher severity arrived', ['rule']);

export type SnoozeEndReason = 'expired' | 'worse' | 'cancelled';

export interface LiveSnooze {
  readonly id: string;
  readonly until: Date;
  readonly severityRank: number;
  /** The alert's readings when it was snoozed: a later breach must beat these to break through. */
  readonly baseline: readonly { code: string; value: number }[];
}

/**
 * High-severity rules cannot be snoozed (issue 4): an alert that is high, or a recheck of a rule
 * whose confirmed alert would be high (BP-01's first reading is raised one level lower).
 */
export function refuseHighSeverity(alert: Pick<AlertEntity, 'severity' | 'kind' | 'ruleId'>): void {
  const ruleSeverity = DEFAULT_RULES.find((r) => r.id === alert.ruleId)?.severity;
  if (alert.severity === 'high' || (alert.kind === 'recheck' && ruleSeverity === 'high')) {
    throw new ConflictException(`${alert.ruleId} is a high-severity rule: its alerts cannot be snoozed`);
  }
}

/**
 * A snoozed alert back in the queue gets its acknowledgement window again from now (the span it had
 * from its raise), so it does not escalate before anyone has seen it.
 */
export function ackWindowAfterSnooze(alert: Pick<AlertEntity, 'acknowledgeBy' | 'raisedAt'>, now: Date): Date {
  const fresh = now.getTime() + (alert.acknowledgeBy.getTime() - alert.raisedAt.getTime());
  return new Date(Math.max(alert.acknowledgeBy.getTime(), fresh));
}

/**
 * The live snooze of (patient, rule), locked for the caller's transaction. SKIP LOCKED: the timer
 * that is expiring it holds it (and then locks the alert, the other order): treated as ended.
 */
export async function liveSnooze(tx: EntityManager, patientId: string, ruleId: string): Promise<LiveSnooze | null> {
  const rows = (await tx.query(
    `SELECT id, until, severity_rank, baseline FROM alert_snoozes WHERE patient_id = $1 AND rule_id = $2 AND ended_at IS NULL FOR UPDATE SKIP LOCKED`,
    [patientId, ruleId],
  )) as { id: string; until: Date; severity_rank: number; baseline: { code: string; value: number }[] }[];
  const row = rows[0];
  return row ? { id: row.id, until: row.until, severityRank: row.severity_rank, baseline: row.baseline } : null;
}

/** Snoozes (patient, rule) from this alert until `until`, replacing a live snooze of the same pair. */
export async function startSnooze(tx: EntityManager, alert: AlertEntity, until: Date, actor: string, reason: string | null): Promise<void> {
  const previous = await liveSnooze(tx, alert.patientId, alert.ruleId);
  if (previous) await endSnooze(tx, previous.id, 'cancelled', actor);
  const evidence = await tx.find(AlertEvidenceEntity, { where: { alertId: alert.id } });
  await tx.query(
    `INSERT INTO alert_snoozes (id, patient_id, rule_id, alert_id, until, severity_rank, baseline, reason, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [randomUUID(), alert.patientId, alert.ruleId, alert.id, until, alert.severityRank, JSON.stringify(evidence.map((e) => ({ code: e.code, value: e.value }))), reason, actor],
  );
}

/** Ends a snooze; the caller clears the alerts' snoozed_until and tells the screens. */
export async function endSnooze(tx: EntityManager, id: string, reason: SnoozeEndReason, actor: string): Promise<void> {
  await tx.query(`UPDATE alert_snoozes SET ended_at = now(), end_reason = $2, ended_by = $3 WHERE id = $1 AND ended_at IS NULL`, [id, reason, actor]);
}

/** A further breach breaks through a snooze when its severity is higher, or a value is worse by the rule's deadband. */
export function breaksThrough(snooze: LiveSnooze, raised: AlertRaisedV1): boolean {
  const worse = SEVERITY_RANK[raised.severity] > snooze.severityRank || worsenedBeyondDeadband(raised.ruleId, snooze.baseline, raised.observations);
  if (worse) brokenThrough.inc({ rule: raised.ruleId });
  return worse;
}
