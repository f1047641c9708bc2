import { z } from 'zod';
import { PROGRAMS } from './programs';

/**
 * RPM billing support (issue 9, section 3; CLINICAL.md 5.2): data days per 30-day period, the
 * vitals-store's reading days behind them, and the monthly export. docs/billing.md explains each field.
 */

function isIanaTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A calendar date in the patient's own time zone (years 1900–2099: a typo, not a billing question, beyond). */
export const LocalDate = z
  .string()
  .regex(/^(19|20)\d{2}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'must be a date of the calendar');
export type LocalDate = z.infer<typeof LocalDate>;

// --- vitals-store, internal: POST /internal/v1/observations/reading-days -------------------------

/** Each patient's local days with readings in [from, to), dated in that patient's zone. */
export const ReadingDaysRequest = z.strictObject({
  patients: z
    .array(
      z.strictObject({
        patientId: z.string().uuid(),
        timeZone: z.string().refine(isIanaTimeZone, 'must be an IANA time zone such as America/New_York'),
        from: z.iso.datetime({ offset: true }),
        to: z.iso.datetime({ offset: true }),
      }),
    )
    .min(1)
    .max(1000),
});
export type ReadingDaysRequest = z.infer<typeof ReadingDaysRequest>;

export const ReadingDay = z.object({
  date: LocalDate,
  /** The day's earliest reading: care-api dates it again itself, so both sides agree on the calendar. */
  firstReadingAt: z.iso.datetime(),
  /** Measurements that day (a blood-pressure panel counts once). */
  readings: z.number().int().positive(),
});
export type ReadingDay = z.infer<typeof ReadingDay>;

export const ReadingDaysResponse = z.object({
  patients: z.array(z.object({ patientId: z.string().uuid(), days: z.array(ReadingDay) })),
});
export type ReadingDaysResponse = z.infer<typeof ReadingDaysResponse>;

// --- care-api: GET /api/v1/patients/{id}/billing, GET /api/v1/reports/billing --------------------

/** CPT device-supply codes (CLINICAL.md 5.2): 99454 for 16–30 data days, 99445 (2026) for 2–15. */
export const DeviceSupplyCode = z.enum(['99454', '99445']);
export const BillingPeriodStatus = z.enum(['upcoming', 'in_progress', 'closed']);
export const ProjectedBand = z.enum(['none', '2-15', '16-30']);
export const Ad03Level = z.enum(['99454_unreachable', '99445_unreachable']);

export const BillingPeriodSummary = z.object({
  /** 0 for the period starting on the enrolment date; each lasts 30 local days. */
  index: z.number().int().min(0),
  firstDate: LocalDate,
  lastDate: LocalDate,
  /** Local midnight of firstDate. */
  start: z.iso.datetime(),
  /** Local midnight after lastDate (exclusive). */
  end: z.iso.datetime(),
  status: BillingPeriodStatus,
  dataDays: z.number().int().min(0).max(30),
  /** Days that can still become data days: today while it has no reading, and every later day. */
  daysRemaining: z.number().int().min(0).max(30),
  codeMet: DeviceSupplyCode.nullable(),
  /** The best code a reading on every remaining day would reach. */
  codeReachable: DeviceSupplyCode.nullable(),
});
export type BillingPeriodSummary = z.infer<typeof BillingPeriodSummary>;

/** GET /api/v1/patients/{id}/billing: the period holding `date` (a local date; default today). */
export const PatientBillingQuery = z.strictObject({ date: LocalDate.optional() });
export type PatientBillingQuery = z.infer<typeof PatientBillingQuery>;

export const PatientBillingResponse = z.object({
  patientId: z.string().uuid(),
  timezone: z.string(),
  /** Local date of enrolment: the first day of period 0. */
  enrolledOn: LocalDate,
  /** When this was computed. */
  asOf: z.iso.datetime(),
  /** The patient's local date now. */
  today: LocalDate,
  period: BillingPeriodSummary,
  /** The local dates with at least one reading, sorted. */
  dataDates: z.array(LocalDate),
  /** Days settled (past, or today once it has a reading); daysElapsed + daysRemaining = 30. */
  daysElapsed: z.number().int().min(0).max(30),
  /** Data days at the end of the period at the pace so far (rounded down); null before any day settled. */
  projectedDataDays: z.number().int().min(0).max(30).nullable(),
  projectedBand: ProjectedBand.nullable(),
  /** AD-03 (CLINICAL.md 0, 5.2): null while 99454 is reachable. */
  ad03: Ad03Level.nullable(),
});
export type PatientBillingResponse = z.infer<typeof PatientBillingResponse>;

export const BILLING_EXPORT_FORMATS = ['json', 'csv'] as const;

/** GET /api/v1/reports/billing: one programme's patients (or all; "general": in none) over a calendar month. */
export const BillingReportQuery = z.strictObject({
  month: z.string().regex(/^(19|20)\d{2}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM'),
  programme: z.enum(['general', ...PROGRAMS]).optional(),
  format: z.enum(BILLING_EXPORT_FORMATS).default('json'),
});
export type BillingReportQuery = z.infer<typeof BillingReportQuery>;

export const BillingReportRow = z.object({
  patientId: z.string().uuid(),
  mrn: z.string(),
  timezone: z.string(),
  programs: z.array(z.string()),
  enrolledOn: LocalDate,
  /** The periods with a local date in the month (one or two), oldest first; none yet started are left out. */
  periods: z.array(BillingPeriodSummary),
});
export type BillingReportRow = z.infer<typeof BillingReportRow>;

export const BillingReportResponse = z.object({
  month: z.string(),
  programme: z.string().nullable(),
  asOf: z.iso.datetime(),
  /** One per patient enrolled by the month's end (in the patient's zone), by MRN. */
  items: z.array(BillingReportRow),
});
export type BillingReportResponse = z.infer<typeof BillingReportResponse>;
