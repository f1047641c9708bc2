import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AlertEventV1, AlertStatus, Severity } from '@rpm/contracts';
import { counter, JsonLogger, PeriodicTask } from '@rpm/service-kit';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';
import { AlertEventOutbox } from '../messaging/alert-event-outbox';
import { alertEvent } from './alert-events';

const escalations = counter('rpm_worklist_escalations_total', 'Alerts left unacknowledged past their target and escalated to the care team contact', ['severity']);
const expiredSnoozes = counter('rpm_worklist_snoozes_expired_total', 'Snoozes that ended by themselves');

/** Due rows per round: one transaction each; a backlog drains over consecutive rounds. */
const BATCH = 500;

/**
 * What happens by itself as time passes: snoozes expire (their alerts return to the queue) and
 * open alerts past their acknowledgement target escalate to the care team's escalation contact
 * (a snoozed alert waits for its snooze to end). Several instances share the work: each due row
 * is taken by one of them (SKIP LOCKED), and its event is written in the same transaction.
 */
@Injectable()
export class WorklistTimers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new JsonLogger('care-api');
  private readonly task: PeriodicTask<void>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: AlertEventOutbox,
    @Inject(CARE_API_CONFIG) config: CareApiConfig,
  ) {
    this.task = new PeriodicTask('worklist timers', config.CARE_API_WORKLIST_TIMER_MS, () => this.run(), this.log);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): void {
    this.task.stop();
  }

  /** One round: expire due snoozes, then escalate due alerts. */
  async run(): Promise<void> {
    const ended = await this.expireSnoozes();
    const escalated = await this.escalate();
    if (ended + escalated > 0) this.outbox.kick();
  }

  private async expireSnoozes(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const alerts = (await tx.query(
        `WITH due AS (
           SELECT id, patient_id, rule_id FROM alert_snoozes WHERE ended_at IS NULL AND until <= now() ORDER BY until LIMIT $1 FOR UPDATE SKIP LOCKED),
         ended AS (
           UPDATE alert_snoozes s SET ended_at = now(), end_reason = 'expired', ended_by = 'care-api' FROM due WHERE s.id = due.id RETURNING s.patient_id, s.rule_id)
         -- Back in the queue: a fresh acknowledgement window from now, or it would escalate before anyone saw it.
         UPDATE alerts a SET snoozed_until = NULL, updated_at = now(), acknowledge_by = GREATEST(a.acknowledge_by, now() + (a.acknowledge_by - a.raised_at)) FROM ended
          WHERE a.patient_id = ended.patient_id AND a.rule_id = ended.rule_id AND a.snoozed_until IS NOT NULL AND a.status <> 'resolved'
         RETURNING a.id, a.patient_id, a.status, a.updated_at`,
        [BATCH],
      )) as [{ id: string; patient_id: string; status: AlertStatus; updated_at: Date }[], number];
      const rows = alerts[0];
      await this.outbox.add(tx, rows.map((r) => this.event(r.id, r.patient_id, 'snooze_ended', r.status, r.updated_at)));
      expiredSnoozes.inc(rows.length);
      return rows.length;
    });
  }

  private async escalate(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [rows] = (await tx.query(
        `WITH due AS (
           SELECT a.id FROM alerts a
            WHERE a.status = 'open' AND a.escalated_at IS NULL AND a.acknowledge_by <= now()
              AND (a.snoozed_until IS NULL OR a.snoozed_until <= now())
            ORDER BY a.acknowledge_by LIMIT $1 FOR UPDATE SKIP LOCKED)
         UPDATE alerts a SET escalated_at = now(), updated_at = now(),
                escalated_to = COALESCE(t.escalation_contact, 'care-team:' || p.care_team_id)
           FROM due, patients p LEFT JOIN care_teams t ON t.id = p.care_team_id
          WHERE a.id = due.id AND p.id = a.patient_id
         RETURNING a.id, a.patient_id, a.severity, a.escalated_to, a.escalated_at`,
        [BATCH],
      )) as [{ id: string; patient_id: string; severity: Severity; escalated_to: string; escalated_at: Date }[], number];
      for (const r of rows) escalations.inc({ severity: r.severity });
      await this.outbox.add(tx, rows.map((r) => ({ ...this.event(r.id, r.patient_id, 'escalated', 'open', r.escalated_at), escalatedTo: r.escalated_to })));
      if (rows.length > 0) this.log.info('alerts escalated', { alerts: rows.length });
      return rows.length;
    });
  }

  private event(alertId: string, patientId: string, type: AlertEventV1['type'], status: AlertStatus, at: Date): AlertEventV1 {
    return alertEvent({ alertId, patientId, type, status, at, actor: 'care-api', disposition: null, discriminator: at.toISOString() });
  }
}
