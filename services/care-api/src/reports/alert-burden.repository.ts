import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AlertBurdenRow } from '@rpm/contracts';
import { DispositionsService } from '../dispositions/dispositions.service';

interface BurdenRow {
  programme: string;
  rule_id: string;
  alerts: string;
  patient_days: number;
  acknowledged: string;
  acknowledged_in_target: string;
  median_ack_minutes: number | null;
  resolved: string;
  low_value: string;
  dispositions: Record<string, number> | null;
}

/**
 * The alert burden per rule and programme over a period (issue 5, section 3): alerts per
 * patient-day, acknowledged within the severity's target, median time to acknowledge, and what
 * nurses concluded. One query over the worklist; a patient in two programmes counts in both.
 * "Within target" is against each alert's own due time (acknowledge_by); the low-value share counts
 * dispositions whose category is measurement error or no action.
 */
@Injectable()
export class AlertBurdenRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dispositionList: DispositionsService,
  ) {}

  async report(from: Date, to: Date, filter: { programme?: string | undefined; careTeamId?: string | undefined }): Promise<AlertBurdenRow[]> {
    const configured = (await this.dispositionList.list()).map((d) => d.code);
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
              count(*) FILTER (WHERE a.acknowledged_at <= a.acknowledge_by) AS acknowledged_in_target,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM a.acknowledged_at - a.raised_at) / 60)
                FILTER (WHERE a.acknowledged_at IS NOT NULL) AS median_ack_minutes,
              count(a.disposition) AS resolved,
              count(*) FILTER (WHERE d.category IN ('measurement_error', 'no_action')) AS low_value,
              (SELECT jsonb_object_agg(c.disposition, c.n) FROM (
                 SELECT a2.disposition, count(*) AS n FROM unnest(array_agg(a.disposition)) AS a2(disposition)
                  WHERE a2.disposition IS NOT NULL GROUP BY a2.disposition) c) AS dispositions
         FROM alerts a
         JOIN enrolled e ON e.id = a.patient_id
         JOIN exposure x ON x.programme = e.programme
         LEFT JOIN dispositions d ON d.code = a.disposition
        WHERE a.raised_at >= $1 AND a.raised_at < $2 AND ($3::text IS NULL OR e.programme = $3)
        GROUP BY e.programme, a.rule_id, x.patient_days
        ORDER BY e.programme, a.rule_id`,
      [from, to, filter.programme ?? null, filter.careTeamId ?? null],
    );
    return rows.map((r) => {
      const alerts = Number(r.alerts);
      const acknowledged = Number(r.acknowledged);
      const resolved = Number(r.resolved);
      // Every configured disposition, zero when unused; a retired code still counts where it was used.
      const dispositions = { ...Object.fromEntries(configured.map((d) => [d, 0])), ...(r.dispositions ?? {}) };
      const lowValue = Number(r.low_value);
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
