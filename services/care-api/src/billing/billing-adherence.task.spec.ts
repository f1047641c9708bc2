import { AlertRaisedV1 } from '@rpm/contracts';
import { assessBillingPeriod, billingPeriodByIndex } from '@rpm/clinical-rules';
import { AD03, ad03Signal } from './billing-adherence.task';

const PATIENT = '00000000-0000-4000-8000-000000000001';
const zone = 'Asia/Kolkata';
const period = billingPeriodByIndex('2026-11-01', zone, 0); // Nov 1 – Nov 30, from 2026-10-31T18:30Z
const assess = (readings: string[], now: string) => assessBillingPeriod({ period, timeZone: zone, readings, now });

describe('AD-03 items', () => {
  it('says nothing while 99454 is reachable', () => {
    expect(ad03Signal(PATIENT, assess([], '2026-11-15T12:00:00Z'), new Date('2026-11-15T12:00:00Z'))).toBeNull();
  });

  it('raises a low adherence item once 99454 is out of reach, keyed by patient, period and level', () => {
    const now = new Date('2026-11-17T12:00:00Z'); // Nov 17 local: 14 days left, 1 data day: 15 at most
    const signal = ad03Signal(PATIENT, assess(['2026-11-02T04:00:00Z'], now.toISOString()), now);
    expect(AlertRaisedV1.parse(signal)).toMatchObject({ ruleId: AD03, severity: 'low', kind: 'alert', patientId: PATIENT });
    expect(signal?.summary).toBe('1 data day in the 30-day period 2026-11-01 – 2026-11-30 with 14 days left: 99454 (16+ days) can no longer be met');
    expect(signal?.observations).toEqual([{ observationId: `billing/${PATIENT}/2026-11-01`, code: 'rpm-billing-data-days', value: 1, unit: '{days}', measuredAt: now.toISOString() }]);
    // A later round of the same period: the same key, so the worklist adds nothing.
    const later = new Date('2026-11-20T12:00:00Z');
    expect(ad03Signal(PATIENT, assess(['2026-11-02T04:00:00Z'], later.toISOString()), later)?.alertKey).toBe(signal?.alertKey);
    // Below 2 as well: another key, added to the live item.
    const last = new Date('2026-11-30T12:00:00Z');
    const lost = ad03Signal(PATIENT, assess([], last.toISOString()), last);
    expect(lost?.summary).toContain('even 99445');
    expect(lost?.alertKey).not.toBe(signal?.alertKey);
  });

  it('keys the next period apart', () => {
    const next = billingPeriodByIndex('2026-11-01', zone, 1);
    const now = new Date('2026-12-20T12:00:00Z');
    const a = ad03Signal(PATIENT, assessBillingPeriod({ period: next, timeZone: zone, readings: [], now: now.toISOString() }), now);
    const b = ad03Signal(PATIENT, assess([], '2026-11-20T12:00:00Z'), new Date('2026-11-20T12:00:00Z'));
    expect(a?.alertKey).toBeDefined();
    expect(a?.alertKey).not.toBe(b?.alertKey);
  });
});
