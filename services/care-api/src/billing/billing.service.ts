import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Raw, type Repository } from 'typeorm';
import type { BillingPeriodSummary, BillingReportQuery, BillingReportResponse, BillingReportRow, PatientBillingResponse } from '@rpm/contracts';
import {
  assessBillingPeriod,
  billingPeriodOn,
  billingPeriodsOverlapping,
  enrolmentDate,
  localTimeOf,
  monthDates,
  type BillingAssessment,
  type BillingPeriod,
} from '@rpm/clinical-rules';
import { PatientEntity } from '../patients/patient.entity';
import { ReadingDaysClient } from './reading-days.client';

const DAY_MS = 86_400_000;

/** A patient and the span of time whose readings its billing periods need. */
interface Span {
  readonly patient: PatientEntity;
  readonly periods: readonly BillingPeriod[];
}

export function toPeriodSummary(a: BillingAssessment): BillingPeriodSummary {
  return {
    index: a.period.index,
    firstDate: a.period.firstDate,
    lastDate: a.period.lastDate,
    start: a.period.start,
    end: a.period.end,
    status: a.status,
    dataDays: a.dataDays,
    daysRemaining: a.daysRemaining,
    codeMet: a.codeMet,
    codeReachable: a.codeReachable,
  };
}

/**
 * RPM billing (CLINICAL.md 5.2; docs/billing.md): a patient's 30-day periods from the enrolment
 * date, the data days in each counted in the patient's zone, and the monthly export. The
 * judgement is libs/clinical-rules'; this service fetches patients and reading days.
 */
@Injectable()
export class BillingService {
  constructor(
    @InjectRepository(PatientEntity) private readonly patients: Repository<PatientEntity>,
    private readonly readingDays: ReadingDaysClient,
  ) {}

  /** The patient's period holding `date` (a local date; default: today in the patient's zone). */
  async patientBilling(patient: PatientEntity, date: string | undefined, now = new Date()): Promise<PatientBillingResponse> {
    const enrolledOn = enrolmentDate(patient.createdAt.getTime(), patient.timezone);
    const today = localTimeOf(now.getTime(), patient.timezone).date;
    const period = billingPeriodOn(enrolledOn, patient.timezone, date ?? today);
    if (!period) throw new NotFoundException(`no billing period on ${date ?? today}: the patient was enrolled on ${enrolledOn}`);
    const [assessment] = await this.assess([{ patient, periods: [period] }], now);
    if (!assessment) throw new Error('an assessment per period asked');
    return {
      patientId: patient.id,
      timezone: patient.timezone,
      enrolledOn,
      asOf: now.toISOString(),
      today,
      period: toPeriodSummary(assessment),
      dataDates: [...assessment.dataDates],
      daysElapsed: assessment.daysElapsed,
      projectedDataDays: assessment.projectedDataDays,
      projectedBand: assessment.projectedBand,
      ad03: assessment.ad03,
    };
  }

  /** The month's export: each patient of the programme with the periods that have a local date in the month. */
  async report(query: Pick<BillingReportQuery, 'month' | 'programme'>, now = new Date()): Promise<BillingReportResponse> {
    const { firstDate, lastDate } = monthDates(query.month);
    // Enrolled by the month's last local date in any zone (UTC+14 at most): the exact test is per patient below.
    const enrolledBy = new Date(Date.parse(`${lastDate}T00:00:00Z`) + 2 * DAY_MS);
    const programmeFilter =
      query.programme === undefined ? {} : query.programme === 'general' ? { programs: Raw((p) => `cardinality(${p}) = 0`) } : { programs: Raw((p) => `${p} @> ARRAY[:programme]::text[]`, { programme: query.programme }) };
    const patients = await this.patients.find({ where: { createdAt: Raw((c) => `${c} < :enrolledBy`, { enrolledBy }), ...programmeFilter }, order: { mrn: 'ASC' } });
    const spans: Span[] = [];
    for (const patient of patients) {
      const enrolledOn = enrolmentDate(patient.createdAt.getTime(), patient.timezone);
      // A period not yet started has nothing to bill: left out.
      const periods = billingPeriodsOverlapping(enrolledOn, patient.timezone, firstDate, lastDate).filter((p) => Date.parse(p.start) <= now.getTime());
      if (periods.length > 0) spans.push({ patient, periods });
    }
    const assessments = await this.assess(spans, now);
    let next = 0;
    const items: BillingReportRow[] = spans.map(({ patient, periods }) => ({
      patientId: patient.id,
      mrn: patient.mrn,
      timezone: patient.timezone,
      programs: [...patient.programs],
      enrolledOn: enrolmentDate(patient.createdAt.getTime(), patient.timezone),
      periods: periods.map(() => toPeriodSummary(assessments[next++] as BillingAssessment)),
    }));
    return { month: query.month, programme: query.programme ?? null, asOf: now.toISOString(), items };
  }

  /** Each span's periods assessed, in order: one reading-days query per patient covering all its periods. */
  async assess(spans: readonly Span[], now: Date): Promise<BillingAssessment[]> {
    const queries = spans.flatMap(({ patient, periods }) => {
      const from = periods[0]?.start;
      const last = periods[periods.length - 1];
      if (!from || !last) return [];
      const to = new Date(Math.min(Date.parse(last.end), now.getTime() + 1)).toISOString();
      return from < to ? [{ patientId: patient.id, timeZone: patient.timezone, from, to }] : [];
    });
    const readings = queries.length > 0 ? await this.readingDays.firstReadings(queries) : new Map<string, string[]>();
    return spans.flatMap(({ patient, periods }) =>
      periods.map((period) => assessBillingPeriod({ period, timeZone: patient.timezone, readings: readings.get(patient.id) ?? [], now: now.getTime() })),
    );
  }
}
