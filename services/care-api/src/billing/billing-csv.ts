import type { BillingPeriodSummary, BillingReportResponse } from '@rpm/contracts';

/** A calendar month can touch at most two 30-day periods (31 days: one day of one, thirty of the next). */
export const PERIODS_PER_ROW = 2;

const PERIOD_COLUMNS: readonly [string, (p: BillingPeriodSummary) => string | number | null][] = [
  ['first_date', (p) => p.firstDate],
  ['last_date', (p) => p.lastDate],
  ['status', (p) => p.status],
  ['data_days', (p) => p.dataDays],
  ['days_remaining', (p) => p.daysRemaining],
  ['code_met', (p) => p.codeMet],
  ['code_reachable', (p) => p.codeReachable],
];

export const BILLING_CSV_HEADER: readonly string[] = [
  'mrn',
  'patient_id',
  'timezone',
  'programmes',
  'enrolled_on',
  ...Array.from({ length: PERIODS_PER_ROW }, (_, i) => PERIOD_COLUMNS.map(([name]) => `period${i + 1}_${name}`)).flat(),
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * A text starting with = + - @ or a tab is prefixed with ' so a spreadsheet does not run it as a
 * formula (an MRN is free text typed by people).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The monthly export as CSV: a header, then one row per patient (periods side by side), CRLF line ends. */
export function billingCsv(report: BillingReportResponse): string {
  const lines = [BILLING_CSV_HEADER.join(',')];
  for (const row of report.items) {
    const periods = Array.from({ length: PERIODS_PER_ROW }, (_, i) => row.periods[i]);
    const cells: (string | number | null)[] = [
      row.mrn,
      row.patientId,
      row.timezone,
      row.programs.join(';'),
      row.enrolledOn,
      ...periods.flatMap((p) => PERIOD_COLUMNS.map(([, value]) => (p ? value(p) : null))),
    ];
    lines.push(cells.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name for Content-Disposition: only characters that need no quoting rules. */
export function billingCsvFileName(month: string, programme: string | null): string {
  return `rpm-billing-${month}-${programme ?? 'all'}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
}
