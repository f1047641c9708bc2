import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ACKNOWLEDGE_TARGET_MINUTES, DISPOSITIONS, type AlertBurdenRow } from '@rpm/contracts';

interface BurdenRow {
  programme: string;
  rule_id: string;
  alerts: string;
  patient_days: number;
  acknowledged: string;
  acknowledged_in_target: string;
  median_ack_minutes: number | null;
  resolved: string;
  [disposition: `d_${string}`]: string;
}

const LOW_VALUE = new Set(['measurement_or_device_error', 'no_action_needed']);

/**
 * The alert burden per rule and programme over a period (issue 5, section 3): alerts per
 * patient-day, acknowledged within the severity's target, median time to acknowledge, and what
 * nurses concluded. One query over the worklist; a patient in two programmes counts in both.
 */
@Injectable()
export class AlertBurdenRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async report(from: Date, to: Date, filter: { programme?: string | undefined; careTeamId?: string | undefined }): Promise<AlertBurdenRow[]> {
    // Dispositions and targets are constants of the contract, never user input.
    const dispositionCounts = DISPOSITIONS.map((d) => `count(*) FILTER (WHERE a.disposition = '${d}') AS "d_${d}"`).join(',\n             ');
    const target = `CASE a.severity WHEN 'high' THEN ${ACKNOWLEDGE_TARGET_MINUTES.high} WHEN 'medium' THEN ${ACKNOWLEDGE_TARGET_MINUTES.medium} ELSE ${ACKNOWLEDGE_TARGET_MINUTES.low} END`;
    const rows = await this.db.query<BurdenRow[]>(
      `WITH enrolled AS (
         SELECT p.id, p.created_at,
                unnest(CASE WHEN cardinality(p.programs) = 0 THEN ARRAY['general'] ELSE p.programs END) AS programme
           FROM patients p
          WHERE $4::text IS NULL OR p.care_team_id = $4
       ),
       exposure AS (
         SELECT programme,
                sum(GREATEST(0, EXTRACT(EPOCH FROM (LEAST($2::timestamptz, now()) - GREATEST($1::timestamptz, created_at))) / 86400)) AS patient_days
           FROM enrolled GROUP BY programme
       )
       SELECT e.programme, a.rule_id,
              count(*) AS alerts,
              x.patient_days::float8 AS patient_days,
              count(a.acknowledged_at) AS acknowledged,
              count(*) FILTER (WHERE EXTRACT(EPOCH FROM a.acknowledged_at - a.raised_at) / 60 <= ${target}) AS acknowledged_in_target,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM a.acknowledged_at - a.raised_at) / 60)
                FILTER (WHERE a.acknowledged_at IS NOT NULL) AS median_ack_minutes,
              count(a.disposition) AS resolved,
              ${dispositionCounts}
         FROM alerts a
         JOIN enrolled e ON e.id = a.patient_id
         JOIN exposure x ON x.programme = e.programme
        WHERE a.raised_at >= $1 AND a.raised_at < $2 AND ($3::text IS NULL OR e.programme = $3)
        GROUP BY e.programme, a.rule_id, x.patient_days
        ORDER BY e.programme, a.rule_id`,
      [from, to, filter.programme ?? null, filter.careTeamId ?? null],
    );
    return rows.map((r) => {
      const alerts = Number(r.alerts);
      const acknowledged = Number(r.acknowledged);
      const resolved = Number(r.resolved);
      const dispositions = Object.fromEntries(DISPOSITIONS.map((d) => [d, Number(r[`d_${d}`])]));
      const lowValue = DISPOSITIONS.filter((d) => LOW_VALUE.has(d)).reduce((n, d) => n + (dispositions[d] ?? 0), 0);
      return {
        programme: r.programme,
        ruleId: r.rule_id,
        alerts,
        patientDays: r.patient_days,
        alertsPerPatientDay: r.patient_days > 0 ? alerts / r.patient_days : 0,
        acknowledged,
        acknowledgedWithinTargetShare: Number(r.acknowledged_in_target) / alerts,
        medianMinutesToAcknowledge: r.median_ack_minutes === null ? null : Number(r.median_ack_minutes),
        resolved,
        dispositions,
        measurementErrorOrNoActionShare: resolved > 0 ? lowValue / resolved : null,
      };
    });
  }
}
