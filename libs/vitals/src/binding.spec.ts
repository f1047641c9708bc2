import type { DeviceBindingV1 } from '@rpm/contracts';
import { bindingAt } from './binding';

const ANN = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const record = (history?: DeviceBindingV1['history']): DeviceBindingV1 => ({
  schema: 'rpm.device-binding.v1',
  deviceId: 'cuff-1',
  patientId: history?.[history.length - 1]?.patientId ?? ANN,
  kind: 'bp_cuff',
  boundAt: '2026-11-01T00:00:00.000Z',
  ...(history ? { history } : {}),
});
const at = (iso: string) => new Date(iso);

describe('bindingAt', () => {
  it('binds a record without history for all time, and an unknown device to nobody', () => {
    expect(bindingAt(record(), at('1999-01-01T00:00:00Z'))).toEqual({ kind: 'bound', patientId: ANN });
    expect(bindingAt(undefined, at('2026-11-01T00:00:00Z'))).toEqual({ kind: 'unbound' });
  });

  it('gives each reading the patient bound when it was measured: [from, to), the move instant to the new patient', () => {
    const moved = record([
      { patientId: ANN, from: null, to: '2026-11-10T12:00:00.000Z' },
      { patientId: BOB, from: '2026-11-10T12:00:00.000Z', to: null },
    ]);
    expect(bindingAt(moved, at('2026-11-01T00:00:00Z'))).toEqual({ kind: 'bound', patientId: ANN });
    expect(bindingAt(moved, at('2026-11-10T11:59:59.999Z'))).toEqual({ kind: 'bound', patientId: ANN });
    expect(bindingAt(moved, at('2026-11-10T12:00:00Z'))).toEqual({ kind: 'bound', patientId: BOB });
    expect(bindingAt(moved, at('2030-01-01T00:00:00Z'))).toEqual({ kind: 'bound', patientId: BOB });
  });

  it('quarantines a reading measured in a gap, or after the device was returned', () => {
    const returned = record([
      { patientId: ANN, from: '2026-11-01T00:00:00.000Z', to: '2026-11-05T00:00:00.000Z' },
      { patientId: BOB, from: '2026-11-08T00:00:00.000Z', to: '2026-11-20T00:00:00.000Z' },
    ]);
    expect(bindingAt(returned, at('2026-10-31T23:59:59Z'))).toEqual({ kind: 'outside_binding' });
    expect(bindingAt(returned, at('2026-11-06T00:00:00Z'))).toEqual({ kind: 'outside_binding' });
    expect(bindingAt(returned, at('2026-11-20T00:00:00Z'))).toEqual({ kind: 'outside_binding' });
    expect(bindingAt(record([]), at('2026-11-06T00:00:00Z'))).toEqual({ kind: 'outside_binding' });
  });
});
