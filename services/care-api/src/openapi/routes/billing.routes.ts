import { z } from 'zod';
import { BillingReportQuery, BillingReportResponse, PatientBillingQuery, PatientBillingResponse } from '@rpm/contracts';
import { ANY_CARE_ROLE, INVALID_REQUEST, LEADS, NOT_VISIBLE, type RouteSpec } from '../route-spec';

const VITALS_STORE_FAILED = 'The vitals-store is unreachable, timed out, or answered with an error.';

/** RPM billing support (docs/billing.md): a patient's 30-day period and the monthly export. */
export const BILLING_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/patients/{id}/billing',
    operationId: 'getPatientBilling',
    tag: 'billing',
    summary: "A patient's 30-day billing period: data days (with their dates), days remaining, projection, codes met and reachable",
    description:
      'Periods start on the local date of enrolment and follow each other every 30 local days; a data day is a local calendar date ' +
      "(the patient's time zone) with at least one reading, whatever the number of readings or devices (CLINICAL.md 5.2). `date` picks " +
      'the period holding that local date (default: today). 99454 needs 16 data days, 99445 (2026) covers 2 to 15. `ad03` says which ' +
      'code the period can no longer reach. A date before enrolment is a 404.',
    roles: ANY_CARE_ROLE,
    params: { id: z.string().uuid() },
    query: PatientBillingQuery,
    success: { 200: PatientBillingResponse },
    errors: { 400: INVALID_REQUEST, 404: NOT_VISIBLE, 502: VITALS_STORE_FAILED },
  },
  {
    method: 'get',
    path: '/api/v1/reports/billing',
    operationId: 'getBillingReport',
    tag: 'billing',
    summary: 'The monthly billing export of a programme (JSON, or CSV with format=csv)',
    description:
      'One row per patient of the programme (`general`: in none; absent: every patient) with the billing periods that have a local date ' +
      'in the month (at most two; periods not yet started are left out): data days, days remaining, code met and code reachable. ' +
      '`format=csv` answers `text/csv` (RFC 4180, CRLF, a header row, the two periods side by side as period1_* and period2_*) as an ' +
      'attachment. Every patient exported gets an audit row.',
    roles: LEADS,
    query: BillingReportQuery,
    success: { 200: BillingReportResponse },
    errors: { 400: INVALID_REQUEST, 502: VITALS_STORE_FAILED },
  },
];
