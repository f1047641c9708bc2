import { BillingReportQuery, LocalDate, PatientBillingQuery, ReadingDaysRequest } from './billing';

describe('billing contracts', () => {
  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['9999-99-99', false],
    ['0001-01-01', false],
    ['2026-1-1', false],
  ])('LocalDate %s: %s', (date, ok) => {
    expect(LocalDate.safeParse(date).success).toBe(ok);
  });

  it('takes a month, a programme or general, and json by default', () => {
    expect(BillingReportQuery.parse({ month: '2026-11' })).toEqual({ month: '2026-11', format: 'json' });
    expect(BillingReportQuery.parse({ month: '2026-11', programme: 'general', format: 'csv' }).format).toBe('csv');
    for (const bad of [{ month: '2026-13' }, { month: '2026-11', format: 'xml' }, { month: '2026-11', programme: 'oncology' }, { month: '2026-11', extra: '1' }]) {
      expect(BillingReportQuery.safeParse(bad).success).toBe(false);
    }
    expect(PatientBillingQuery.safeParse({ date: '2026-02-30' }).success).toBe(false);
  });

  it('asks the vitals-store about 1 to 1000 patients, each with an IANA zone', () => {
    const patient = { patientId: '00000000-0000-4000-8000-000000000001', timeZone: 'Pacific/Chatham', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' };
    expect(ReadingDaysRequest.safeParse({ patients: [patient] }).success).toBe(true);
    expect(ReadingDaysRequest.safeParse({ patients: [{ ...patient, timeZone: 'GMT+5' }] }).success).toBe(false);
    expect(ReadingDaysRequest.safeParse({ patients: [] }).success).toBe(false);
  });
});
