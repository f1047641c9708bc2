import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MoreThan, type DataSource } from 'typeorm';
import type { AlertClearedV1, AlertRaisedV1, AlertSignalV1 } from '@rpm/contracts';
import { billingPeriodAt, CPT_99445_MIN_DATA_DAYS, CPT_99454_MIN_DATA_DAYS, deterministicUuid, enrolmentDate, type BillingAssessment } from '@rpm/clinical-rules';
import { counter, JsonLogger, PeriodicTask } from '@rpm/service-kit';
import { AlertIngestService } from '../alerts/alert-ingest.service';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';
import { PatientEntity } from '../patients/patient.entity';
import { BillingService } from './billing.service';

export const AD03 = 'AD-03';
/** Patients per round trip (one patients page, one reading-days request, one worklist transaction). */
const PAGE = 500;

const raisedItems = counter('rpm_billing_ad03_items_total', 'AD-03 billing adherence items raised (a period no longer reaching a code)', ['level']);

/** What an AD-03 item says, from the period's assessment. */
export function ad03Signal(patientId: string, a: BillingAssessment, now: Date): AlertRaisedV1 | null {
  if (!a.ad03) return null;
  const reachable = a.dataDays + a.daysRemaining;
  const lost = a.ad03 === '99454_unreachable' ? `99454 (${CPT_99454_MIN_DATA_DAYS}+ days) can no longer be met` : `even 99445 (${CPT_99445_MIN_DATA_DAYS}–15 days) can no longer be met`;
  const at = now.toISOString();
  return {
    schema: 'rpm.alert-raised.v1',
    // One per (patient, period, level): raised once per period, again only if it falls below 2 as well.
    alertKey: deterministicUuid('rpm.billing.ad03', patientId, a.period.firstDate, a.ad03),
    patientId,
    ruleId: AD03,
    ruleSource: 'CLINICAL.md AD-03, 5.2',
    severity: 'low',
    kind: 'alert',
    summary: `${a.dataDays} data day${a.dataDays === 1 ? '' : 's'} in the 30-day period ${a.period.firstDate} – ${a.period.lastDate} with ${a.daysRemaining} days left: ${lost}`,
    threshold: `data days + days remaining < ${a.ad03 === '99454_unreachable' ? CPT_99454_MIN_DATA_DAYS : CPT_99445_MIN_DATA_DAYS} (${reachable})`,
    retrospective: false,
    measuredAt: at,
    evaluatedAt: at,
    observations: [{ observationId: `billing/${patientId}/${a.period.firstDate}`, code: 'rpm-billing-data-days', value: a.dataDays, unit: '{days}', measuredAt: at }],
  };
}

/**
 * AD-03 (CLINICAL.md 0 and 5.2) into the adherence queue: every CARE_API_BILLING_CHECK_MS, each
 * patient's current period is assessed; a period that can no longer reach 99454 raises a low item
 * through the worklist's own path (as device health does). A live item whose patient can reach
 * 99454 again (a new period, or late uploads) is marked returned to normal; a nurse resolves it.
 */
@Injectable()
export class BillingAdherenceTask implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new JsonLogger('care-api');
  private readonly task: PeriodicTask<void>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly billing: BillingService,
    private readonly worklist: AlertIngestService,
    @Inject(CARE_API_CONFIG) config: CareApiConfig,
  ) {
    this.task = new PeriodicTask('billing adherence (AD-03)', config.CARE_API_BILLING_CHECK_MS, () => this.run(), this.log);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): void {
    this.task.stop();
  }

  /** One round over every patient, a page at a time. */
  async run(now = new Date()): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await this.db.getRepository(PatientEntity).find({ where: { id: MoreThan(after) }, order: { id: 'ASC' }, take: PAGE });
      if (page.length === 0) return;
      await this.evaluate(page, now);
      after = page[page.length - 1]?.id ?? after;
      if (page.length < PAGE) return;
    }
  }

  private async evaluate(patients: readonly PatientEntity[], now: Date): Promise<void> {
    const spans = patients.flatMap((patient) => {
      const period = billingPeriodAt(enrolmentDate(patient.createdAt.getTime(), patient.timezone), patient.timezone, now.getTime());
      return period ? [{ patient, periods: [period] }] : [];
    });
    const assessments = await this.billing.assess(spans, now);
    const live = new Set(
      ((await this.db.query(
        `SELECT patient_id FROM alerts WHERE rule_id = $1 AND status <> 'resolved' AND returned_to_normal_at IS NULL AND patient_id = ANY($2::uuid[])`,
        [AD03, spans.map((s) => s.patient.id)],
      )) as { patient_id: string }[]).map((r) => r.patient_id),
    );
    const signals: AlertSignalV1[] = [];
    const levels = new Map<string, string>();
    spans.forEach(({ patient }, i) => {
      const assessment = assessments[i];
      if (!assessment) return;
      const raised = ad03Signal(patient.id, assessment, now);
      if (raised) {
        signals.push(raised);
        levels.set(raised.alertKey, assessment.ad03 ?? '');
        return;
      }
      if (live.has(patient.id)) signals.push(this.cleared(patient.id, assessment, now));
    });
    if (signals.length === 0) return;
    const events = await this.worklist.applyBatch(signals);
    // A new item's id is its alert key; evidence added to a live item is not a new item.
    for (const event of events) if (event.type === 'raised') raisedItems.inc({ level: levels.get(event.alertId) ?? 'unknown' });
  }

  private cleared(patientId: string, a: BillingAssessment, now: Date): AlertClearedV1 {
    return {
      schema: 'rpm.alert-cleared.v1',
      clearKey: deterministicUuid('rpm.billing.ad03.cleared', patientId, a.period.firstDate),
      patientId,
      ruleId: AD03,
      reason: 'returned_to_normal',
      summary: `99454 is reachable in the period ${a.period.firstDate} – ${a.period.lastDate} (${a.dataDays} data days, ${a.daysRemaining} days left)`,
      measuredAt: now.toISOString(),
      evaluatedAt: now.toISOString(),
      observations: [],
    };
  }
}
