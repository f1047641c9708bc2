import { fahrenheitToCelsius, kpaToMmHg, lbToKg, mmolPerLToMgPerDl } from '@rpm/vitals';
import { inDeviceUnit } from './device-units';

describe('inDeviceUnit: the quirky devices convert correctly', () => {
  it.each([
    [120, 80],
    [181, 121],
    [95, 58],
  ])('kPa cuff: %i/%i mmHg normalises back within half a display step', (sys, dia) => {
    const r = inDeviceUnit({ type: 'blood_pressure', systolic: sys, diastolic: dia, unit: 'mmHg' }, 'kPa');
    expect(r).toMatchObject({ unit: 'kPa' });
    if (r.type !== 'blood_pressure') throw new Error('type changed');
    expect(Math.abs(kpaToMmHg(r.systolic) - sys)).toBeLessThanOrEqual(0.05 * 7.50062 + 1e-9);
    expect(Math.abs(kpaToMmHg(r.diastolic) - dia)).toBeLessThanOrEqual(0.05 * 7.50062 + 1e-9);
  });

  it('kPa cuff: the crisis line 180/120 mmHg reads 24.0/16.0 kPa', () => {
    expect(inDeviceUnit({ type: 'blood_pressure', systolic: 180, diastolic: 120, unit: 'mmHg' }, 'kPa')).toEqual({
      type: 'blood_pressure', systolic: 24, diastolic: 16, unit: 'kPa',
    });
  });

  it('lb scale: 80 kg is 176.4 lb, and back', () => {
    const r = inDeviceUnit({ type: 'body_weight', value: 80, unit: 'kg' }, 'lb');
    expect(r).toEqual({ type: 'body_weight', value: 176.4, unit: 'lb' });
    if (r.type === 'body_weight') expect(lbToKg(r.value)).toBeCloseTo(80, 1);
  });

  it('mmol/L meter: 54, 70, 250 mg/dL are 3.0, 3.9, 13.9 mmol/L', () => {
    for (const [mg, mmol] of [[54, 3.0], [70, 3.9], [250, 13.9]] as const) {
      const r = inDeviceUnit({ type: 'glucose', value: mg, unit: 'mg/dL' }, 'mmol/L');
      expect(r).toEqual({ type: 'glucose', value: mmol, unit: 'mmol/L' });
      if (r.type === 'glucose') expect(Math.abs(mmolPerLToMgPerDl(r.value) - mg)).toBeLessThanOrEqual(0.05 * 18.016 + 1e-9);
    }
  });

  it('degF thermometer: 38.0 degC is 100.4 degF, and back', () => {
    const r = inDeviceUnit({ type: 'body_temperature', value: 38, unit: 'Cel' }, 'degF');
    expect(r).toEqual({ type: 'body_temperature', value: 100.4, unit: 'degF' });
    if (r.type === 'body_temperature') expect(fahrenheitToCelsius(r.value)).toBeCloseTo(38, 5);
  });

  it('leaves readings alone when the device has no quirk, or the quirk is for another quantity', () => {
    const hr = { type: 'heart_rate', value: 70, unit: '/min' } as const;
    expect(inDeviceUnit(hr, 'kPa')).toBe(hr);
    const w = { type: 'body_weight', value: 70, unit: 'kg' } as const;
    expect(inDeviceUnit(w, null)).toBe(w);
    expect(inDeviceUnit(w, 'degF')).toBe(w);
  });
});
