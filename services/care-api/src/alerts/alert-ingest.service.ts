import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AlertClearedV1, AlertEventV1, AlertRaisedV1, AlertSignalV1 } from '@rpm/contracts';
import { AlertEvidenceEntity } from './alert-evidence.entity';
import { SEVERITY_RANK, SUPPRESS_AFTER_CLOSE_MS, worsenedBeyondDeadband } from '@rpm/clinical-rules';
import { AlertEntity } from './alert.entity';
import { alertEvent } from './alert-events';
import { AlertEventOutbox } from '../messaging/alert-event-outbox';
import { PatientEntity } from '../patients/patient.entity';
import { counter, JsonLogger } from '@rpm/service-kit';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';
import { acknowledgeBy } from './acknowledge-target';
import { ackWindowAfterSnooze, breaksThrough, endSnooze, liveSnooze } from './alert-snoozes';

const suppressed = counter('rpm_worklist_breaches_suppressed_total', 'Breaches of an episode a nurse resolved less than 24 h ago, no worse than before (CLINICAL.md 4.2)', ['rule']);
const unknownPatient = counter('rpm_worklist_alerts_unknown_patient_total', 'Alerts skipped because their patient is not registered here');

/**
 * rpm.alerts.v1 -> the worklist. Idempotent on the rules engine's alert key: a replayed
 * alert changes nothing. While an alert for (patient, rule) is live, a new breach adds
 * its readings to it (counts it, takes its explanation, raises its severity if worse)
 * instead of adding another. An ended episode marks the live alert "returned to normal";
 * it stays in the queue until a nurse resolves it. Once resolved, the same episode comes back
 * only when worse or after 24 h (CLINICAL.md 4.2). While (patient, rule) is snoozed, breaches stay
 * out of the queue unless worse, which ends the snooze.
 */
@Injectable()
export class AlertIngestService {
  private readonly log = new JsonLogger('care-api');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: AlertEventOutbox,
    @Inject(CARE_API_CONFIG) private readonly config: CareApiConfig,
  ) {}

  private readonly unknownPatientsLogged = new Set<string>();

  private onUnknownPatient(patientId: string): void {
    unknownPatient.inc();
    // Once per patient: a shared cluster can carry thousands of such alerts (the metric counts them all).
    if (this.unknownPatientsLogged.has(patientId) || this.unknownPatientsLogged.size > 10_000) return;
    this.unknownPatientsLogged.add(patientId);
    this.log.warn('alerts for a patient this worklist does not know are skipped', { patientId });
  }

  /** Applies a batch in one transaction, its events written to the outbox in the same one. */
  async applyBatch(signals: readonly AlertSignalV1[]): Promise<AlertEventV1[]> {
    const events = await this.db.transaction(async (tx) => {
      const applied: AlertEventV1[] = [];
      for (const signal of signals) {
        if (signal.schema === 'rpm.alert-raised.v1') applied.push(...(await this.apply(tx, signal)));
        else {
          const event = await this.applyCleared(tx, signal);
          if (event) applied.push(event);
        }
      }
      await this.outbox.add(tx, applied);
      return applied;
    });
    this.outbox.kick();
    return events;
  }

  private async apply(tx: EntityManager, raised: AlertRaisedV1): Promise<AlertEventV1[]> {
    if (await tx.existsBy(AlertEvidenceEntity, { alertKey: raised.alertKey })) return [];
    const patient = await tx.findOneBy(PatientEntity, { id: raised.patientId });
    if (!patient) {
      // Another deployment's patient on a shared cluster: not ours to list; counted, not stored.
      this.onUnknownPatient(raised.patientId);
      return [];
    }
    const now = new Date();
    const live = await this.liveAlert(tx, raised.patientId, raised.ruleId);
    if (!live && (await this.alreadyHandled(tx, raised, now))) {
      suppressed.inc({ rule: raised.ruleId });
      return [];
    }
    const events: AlertEventV1[] = [];
    const event = (alertId: string, type: AlertEventV1['type'], status: AlertEventV1['status'], extra: Partial<AlertEventV1> = {}) =>
      events.push({ ...alertEvent({ alertId, patientId: raised.patientId, type, status, at: now, actor: 'rules-engine', disposition: null, discriminator: raised.alertKey }), ...extra });
    const snooze = await liveSnooze(tx, raised.patientId, raised.ruleId);
    const brokeThrough = snooze !== null && breaksThrough(snooze, raised);
    if (snooze && brokeThrough) {
      await endSnooze(tx, snooze.id, 'worse', 'rules-engine');
      if (live) event(live.id, 'snooze_ended', live.status);
    }
    const snoozedUntil = snooze && !brokeThrough ? snooze.until : null;
    const dueBy = acknowledgeBy(this.config.CARE_API_ACKNOWLEDGE_TARGETS, raised.severity, now, patient.timezone);
    let alertId: string;
    if (live) {
      alertId = live.id;
      const worse = SEVERITY_RANK[raised.severity] > live.severityRank;
      await tx.update(AlertEntity, { id: live.id }, {
        updatedAt: now,
        summary: raised.summary,
        // Retrospective only while every reading behind it arrived late.
        retrospective: live.retrospective && raised.retrospective,
        breaches: live.breaches + 1,
        returnedToNormalAt: null,
        ...(raised.episode ? { episodeOpenedAt: new Date(raised.episode.openedAt) } : {}),
        ...(raised.explanation ? { explanation: raised.explanation } : {}),
        ...(worse ? { severity: raised.severity, severityRank: SEVERITY_RANK[raised.severity], kind: raised.kind } : {}),
        // Out of a snooze: a fresh window from now (the new severity's if worse). Otherwise a worse
        // severity brings the due time forward, never back.
        ...(brokeThrough && live.snoozedUntil ? { snoozedUntil: null, acknowledgeBy: worse ? dueBy : ackWindowAfterSnooze(live, now) } : {}),
        ...(!(brokeThrough && live.snoozedUntil) && worse && dueBy < live.acknowledgeBy ? { acknowledgeBy: dueBy } : {}),
      });
      event(alertId, 'evidence_added', live.status);
    } else {
      alertId = raised.alertKey;
      await tx.insert(AlertEntity, {
        id: alertId,
        patientId: raised.patientId,
        ruleId: raised.ruleId,
        ruleSource: raised.ruleSource,
        severity: raised.severity,
        severityRank: SEVERITY_RANK[raised.severity],
        kind: raised.kind,
        status: 'open',
        summary: raised.summary,
        threshold: raised.threshold,
        retrospective: raised.retrospective,
        raisedAt: now,
        measuredAt: new Date(raised.measuredAt),
        updatedAt: now,
        acknowledgedAt: null,
        acknowledgedBy: null,
        resolvedAt: null,
        resolvedBy: null,
        disposition: null,
        note: null,
        explanation: raised.explanation ?? null,
        breaches: 1,
        returnedToNormalAt: null,
        episodeOpenedAt: raised.episode ? new Date(raised.episode.openedAt) : null,
        assignedTo: null,
        assignedAt: null,
        snoozedUntil,
        acknowledgeBy: dueBy,
        escalatedAt: null,
        escalatedTo: null,
      });
      event(alertId, 'raised', 'open', snoozedUntil ? { snoozedUntil: snoozedUntil.toISOString() } : {});
    }
    // ON CONFLICT DO NOTHING: another writer may have applied the same alert key meanwhile.
    await tx
      .createQueryBuilder()
      .insert()
      .into(AlertEvidenceEntity)
      .orIgnore()
      .values(
      raised.observations.map((o, component) => ({
        alertKey: raised.alertKey,
        component,
        alertId,
        observationId: o.observationId,
        code: o.code,
        value: o.value,
        unit: o.unit,
        originalValue: o.originalValue ?? null,
        originalUnit: o.originalUnit ?? null,
        measuredAt: new Date(o.measuredAt),
      })),
      )
      .execute();
    return events;
  }

  /**
   * CLINICAL.md 4.2: a nurse resolved this episode's alert less than 24 h ago, and this further
   * breach of the same episode is no worse (same or lower severity, no value beyond the resolved
   * alert's worst by twice the deadband). It adds no alert; the engine still counts it.
   */
  private async alreadyHandled(tx: EntityManager, raised: AlertRaisedV1, now: Date): Promise<boolean> {
    if (!raised.episode || raised.episode.breaches <= 1) return false;
    const closed = await tx.findOne(AlertEntity, {
      where: { patientId: raised.patientId, ruleId: raised.ruleId, status: 'resolved', episodeOpenedAt: new Date(raised.episode.openedAt) },
      order: { resolvedAt: 'DESC' },
    });
    if (!closed?.resolvedAt || now.getTime() - closed.resolvedAt.getTime() >= SUPPRESS_AFTER_CLOSE_MS) return false;
    if (SEVERITY_RANK[raised.severity] > closed.severityRank) return false;
    const seen = await tx.find(AlertEvidenceEntity, { where: { alertId: closed.id } });
    return !worsenedBeyondDeadband(raised.ruleId, seen, raised.observations);
  }

  private liveAlert(tx: EntityManager, patientId: string, ruleId: string): Promise<AlertEntity | null> {
    return tx
      .createQueryBuilder(AlertEntity, 'a')
      .setLock('pessimistic_write')
      .where('a.patient_id = :patientId AND a.rule_id = :ruleId AND a.status <> :resolved', { patientId, ruleId, resolved: 'resolved' })
      .getOne();
  }

  /** Marks the live alert of (patient, rule) as returned to normal; a replay finds it marked and changes nothing. */
  private async applyCleared(tx: EntityManager, cleared: AlertClearedV1): Promise<AlertEventV1 | null> {
    const live = await this.liveAlert(tx, cleared.patientId, cleared.ruleId);
    if (!live || live.returnedToNormalAt) return null;
    // A clear measured before the alert's latest breach belongs to an earlier episode (a replayed
    // batch of [clear, new breach]): marking the live alert would hide a patient still breaching.
    const latest = await tx
      .createQueryBuilder(AlertEvidenceEntity, 'e')
      .select('max(e.measured_at)', 'latest')
      .where('e.alert_id = :id', { id: live.id })
      .getRawOne<{ latest: Date | null }>();
    if (latest?.latest && new Date(cleared.measuredAt) < new Date(latest.latest)) return null;
    const now = new Date();
    await tx.update(AlertEntity, { id: live.id }, { returnedToNormalAt: new Date(cleared.measuredAt), updatedAt: now });
    return alertEvent({
      alertId: live.id,
      patientId: cleared.patientId,
      type: 'returned_to_normal',
      status: live.status,
      at: now,
      actor: 'rules-engine',
      disposition: null,
      discriminator: cleared.clearKey,
    });
  }
}
