import type { BillingPeriodSummary, BillingReportResponse } from '@rpm/contracts';
import { BILLING_CSV_HEADER, billingCsv, billingCsvFileName, csvField } from './billing-csv';

const period = (overrides: Partial<BillingPeriodSummary> = {}): BillingPeriodSummary => ({
  index: 0,
  firstDate: '2026-10-10',
  lastDate: '2026-11-08',
  start: '2026-10-09T22:00:00.000Z',
  end: '2026-11-08T23:00:00.000Z',
  status: 'closed',
  dataDays: 16,
  daysRemaining: 0,
  codeMet: '99454',
  codeReachable: '99454',
  ...overrides,
});

describe('billing CSV', () => {
  it.each([
    ['MRN-1', 'MRN-1'],
    ['Smith, J', '"Smith, J"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['+1', "'+1"],
    ['-5', "'-5"],
    ['@SUM', "'@SUM"],
    [null, ''],
    [16, '16'],
  ])('field %j -> %s', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes a header and one row per patient, two periods side by side, CRLF line ends', () => {
    const report: BillingReportResponse = {
      month: '2026-11',
      programme: 'hypertension',
      asOf: '2026-11-27T12:00:00.000Z',
      items: [
        {
          patientId: '00000000-0000-4000-8000-000000000001',
          mrn: 'A, 1',
          timezone: 'Europe/Paris',
          programs: ['hypertension', 'diabetes'],
          enrolledOn: '2026-10-10',
          periods: [period(), period({ index: 1, firstDate: '2026-11-09', lastDate: '2026-12-08', status: 'in_progress', dataDays: 3, daysRemaining: 11, codeMet: '99445', codeReachable: '99445' })],
        },
        {
          patientId: '00000000-0000-4000-8000-000000000002',
          mrn: 'B2',
          timezone: 'Asia/Kolkata',
          programs: [],
          enrolledOn: '2026-11-20',
          periods: [period({ firstDate: '2026-11-20', lastDate: '2026-12-19', status: 'in_progress', dataDays: 1, daysRemaining: 22, codeMet: null, codeReachable: '99454' })],
        },
      ],
    };
    const lines = billingCsv(report).split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines[0]).toBe(BILLING_CSV_HEADER.join(','));
    expect(BILLING_CSV_HEADER).toHaveLength(5 + 2 * 7);
    expect(lines[1]).toBe(
      '"A, 1",00000000-0000-4000-8000-000000000001,Europe/Paris,hypertension;diabetes,2026-10-10,' +
        '2026-10-10,2026-11-08,closed,16,0,99454,99454,2026-11-09,2026-12-08,in_progress,3,11,99445,99445',
    );
    expect(lines[2]).toBe('B2,00000000-0000-4000-8000-000000000002,Asia/Kolkata,,2026-11-20,2026-11-20,2026-12-19,in_progress,1,22,,99454,,,,,,,');
  });

  it('names the file after the month and programme', () => {
    expect(billingCsvFileName('2026-11', 'heart_failure')).toBe('rpm-billing-2026-11-heart_failure.csv');
    expect(billingCsvFileName('2026-11', null)).toBe('rpm-billing-2026-11-all.csv');
  });
});
