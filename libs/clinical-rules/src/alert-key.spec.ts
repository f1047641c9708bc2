import { z } from 'zod';
import { alertKey } from './alert-key';

const PATIENT = '3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f';
const OBS = 'cuff-01/msg-7/blood_pressure';

describe('alertKey', () => {
  it('is a valid RFC 4122 UUID with version 5 and variant 10xx', () => {
    const key = alertKey(PATIENT, 'BP-01', OBS);
    expect(z.uuid().safeParse(key).success).toBe(true);
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is deterministic: a replayed reading yields the same key', () => {
    expect(alertKey(PATIENT, 'BP-01', OBS)).toBe(alertKey(PATIENT, 'BP-01', OBS));
  });

  it('is pinned: keys are stored, so changing the derivation is a migration', () => {
    expect(alertKey(PATIENT, 'BP-01', OBS)).toBe('80d15c98-d7af-5f91-ae93-92f53455dfc3');
  });

  it.each<[string, [string, string, string]]>([
    ['another patient', ['00000000-0000-4000-8000-000000000001', 'BP-01', OBS]],
    ['another rule', [PATIENT, 'BP-04', OBS]],
    ['another observation', [PATIENT, 'BP-01', 'cuff-01/msg-8/blood_pressure']],
    ['another device', [PATIENT, 'BP-01', 'cuff-02/msg-7/blood_pressure']],
  ])('differs for %s', (_name, args) => {
    expect(alertKey(...args)).not.toBe(alertKey(PATIENT, 'BP-01', OBS));
  });

  it('cannot be confused by moving characters between the parts', () => {
    expect(alertKey('ab', 'c', 'd')).not.toBe(alertKey('a', 'bc', 'd'));
    expect(alertKey('a', 'b', 'cd')).not.toBe(alertKey('a', 'bc', 'd'));
  });

  it('is unique across many patients, rules and observations', () => {
    const keys = new Set<string>();
    const rules = ['BP-01', 'BP-02', 'HR-01', 'SP-01', 'GL-04'];
    for (let p = 0; p < 20; p++) {
      for (const rule of rules) {
        for (let m = 0; m < 20; m++) keys.add(alertKey(`patient-${p}`, rule, `dev/msg-${m}/spo2`));
      }
    }
    expect(keys.size).toBe(20 * rules.length * 20);
  });
});
