import { DeviceReading } from '@rpm/contracts';
import { LOCAL_CODES, LOINC, UCUM } from './codes';
import { normalizeReading } from './normalize';
import { PLAUSIBLE, SFLOAT_NAN, implausibility } from './plausibility';
import { KG_PER_LB, MGDL_PER_MMOLL, MMHG_PER_KPA, fahrenheitToCelsius, kpaToMmHg, lbToKg, mmolPerLToMgPerDl } from './units';

const normalize = (reading: unknown) => normalizeReading(DeviceReading.parse(reading));
const accepted = (reading: unknown) => {
  const result = normalize(reading);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(reading)} to be accepted: ${result.detail}`);
  return result;
};
const round = (value: number, decimals: number) => Number(value.toFixed(decimals));

describe('unit conversions: the equivalents of CLINICAL.md 1.6', () => {
  it.each<[number, number]>([
    [180, 24.0],
    [120, 16.0],
  ])('%s mm[Hg] = %s kPa', (mmHg, kpa) => {
    expect(round(kpaToMmHg(kpa), 0)).toBe(mmHg);
    expect(round(mmHg / MMHG_PER_KPA, 1)).toBe(kpa);
  });

  it.each<[number, number]>([
    [2, 0.91],
    [3, 1.36],
    [5, 2.27],
    [6, 2.72],
  ])('%s lb = %s kg', (lb, kg) => {
    expect(round(lbToKg(lb), 2)).toBe(kg);
  });

  it('the pound is exact', () => {
    expect(KG_PER_LB).toBe(0.45359237);
    expect(lbToKg(1)).toBe(0.45359237);
  });

  it.each<[number, number]>([
    [54, 3.0],
    [70, 3.9],
    [180, 10.0],
    [250, 13.9],
    [300, 16.7],
  ])('%s mg/dL = %s mmol/L', (mgdl, mmol) => {
    expect(round(mgdl / MGDL_PER_MMOLL, 1)).toBe(mmol);
  });

  it('glucose uses 18.016 (MW/10), not the 18.2 of some BLE libraries', () => {
    expect(MGDL_PER_MMOLL).toBe(18.016);
    expect(mmolPerLToMgPerDl(10)).toBeCloseTo(180.16, 10);
  });

  it.each<[number, number]>([
    [38.0, 100.4],
    [35.0, 95.0],
    [39.1, 102.4],
    [0, 32],
    [100, 212],
  ])('%s Cel = %s degF', (cel, f) => {
    expect(round(fahrenheitToCelsius(f), 1)).toBe(cel);
  });

  it('100.4 degF lands exactly on 38.0 Cel, so the fever threshold is not missed by a float error', () => {
    expect(fahrenheitToCelsius(100.4)).toBe(38);
    expect(fahrenheitToCelsius(95)).toBe(35);
  });
});

describe('normalizeReading: codes, canonical units and provenance', () => {
  it.each<[string, unknown, Array<{ code: string; value: number; unit: string; originalValue: number; originalUnit: string }>]>([
    [
      'BP in mmHg',
      { type: 'blood_pressure', systolic: 128, diastolic: 82, unit: 'mmHg' },
      [
        { code: LOINC.systolic, value: 128, unit: UCUM.mmHg, originalValue: 128, originalUnit: 'mmHg' },
        { code: LOINC.diastolic, value: 82, unit: UCUM.mmHg, originalValue: 82, originalUnit: 'mmHg' },
      ],
    ],
    [
      'BP in kPa',
      { type: 'blood_pressure', systolic: 24, diastolic: 16, unit: 'kPa' },
      [
        { code: LOINC.systolic, value: 24 * 7.50062, unit: UCUM.mmHg, originalValue: 24, originalUnit: 'kPa' },
        { code: LOINC.diastolic, value: 16 * 7.50062, unit: UCUM.mmHg, originalValue: 16, originalUnit: 'kPa' },
      ],
    ],
    ['heart rate', { type: 'heart_rate', value: 72, unit: '/min' }, [{ code: LOINC.heartRate, value: 72, unit: '/min', originalValue: 72, originalUnit: '/min' }]],
    ['SpO2', { type: 'spo2', value: 96, unit: '%' }, [{ code: LOINC.spo2, value: 96, unit: '%', originalValue: 96, originalUnit: '%' }]],
    ['weight in kg', { type: 'body_weight', value: 82.5, unit: 'kg' }, [{ code: LOINC.bodyWeight, value: 82.5, unit: 'kg', originalValue: 82.5, originalUnit: 'kg' }]],
    [
      'weight in lb',
      { type: 'body_weight', value: 200, unit: 'lb' },
      [{ code: LOINC.bodyWeight, value: 200 * 0.45359237, unit: 'kg', originalValue: 200, originalUnit: 'lb' }],
    ],
    ['glucose in mg/dL', { type: 'glucose', value: 110, unit: 'mg/dL' }, [{ code: LOINC.glucose, value: 110, unit: 'mg/dL', originalValue: 110, originalUnit: 'mg/dL' }]],
    [
      'glucose in mmol/L',
      { type: 'glucose', value: 3.0, unit: 'mmol/L' },
      [{ code: LOINC.glucose, value: 3.0 * 18.016, unit: 'mg/dL', originalValue: 3.0, originalUnit: 'mmol/L' }],
    ],
    ['temperature in Cel', { type: 'body_temperature', value: 36.8, unit: 'Cel' }, [{ code: LOINC.bodyTemperature, value: 36.8, unit: 'Cel', originalValue: 36.8, originalUnit: 'Cel' }]],
    [
      'temperature in degF',
      { type: 'body_temperature', value: 100.4, unit: 'degF' },
      [{ code: LOINC.bodyTemperature, value: 38, unit: 'Cel', originalValue: 100.4, originalUnit: 'degF' }],
    ],
    ['respiratory rate', { type: 'respiratory_rate', value: 16, unit: '/min' }, [{ code: LOINC.respiratoryRate, value: 16, unit: '/min', originalValue: 16, originalUnit: '/min' }]],
  ])('%s', (_name, reading, components) => {
    const result = accepted(reading);
    expect(result.components).toEqual(components);
  });

  it('blood pressure is coded as the panel', () => {
    expect(accepted({ type: 'blood_pressure', systolic: 128, diastolic: 82, unit: 'mmHg' }).code).toBe(LOINC.bloodPressurePanel);
  });

  it('codes a reported consciousness level as its ACVPU ordinal, keeping the answer as valueCode', () => {
    expect(accepted({ type: 'consciousness', value: 'alert' }).components).toEqual([
      { code: LOINC.consciousness, value: 0, unit: '{ACVPU}', originalValue: 0, originalUnit: '{ACVPU}', valueCode: 'alert' },
    ]);
    expect(accepted({ type: 'consciousness', value: 'unresponsive' }).components[0]).toMatchObject({ value: 4, valueCode: 'unresponsive' });
  });

  it('codes supplemental oxygen as yes/no with the flow as a second component', () => {
    expect(accepted({ type: 'supplemental_oxygen', value: true, flow: 2 })).toMatchObject({
      code: LOCAL_CODES.supplementalOxygen,
      components: [
        { code: LOCAL_CODES.supplementalOxygen, value: 1, unit: '{yes/no}' },
        { code: LOINC.oxygenFlow, value: 2, unit: 'L/min', originalValue: 2 },
      ],
    });
    expect(accepted({ type: 'supplemental_oxygen', value: false }).components).toEqual([
      { code: LOCAL_CODES.supplementalOxygen, value: 0, unit: '{yes/no}', originalValue: 0, originalUnit: '{yes/no}' },
    ]);
  });

  it('rejects an oxygen flow outside 0-60 L/min, or a flow while not on oxygen', () => {
    expect(normalize({ type: 'supplemental_oxygen', value: true, flow: 80 })).toEqual({ ok: false, detail: 'oxygen flow outside the plausible range 0-60 L/min' });
    expect(normalize({ type: 'supplemental_oxygen', value: false, flow: 2 })).toEqual({ ok: false, detail: 'oxygen flow reported while not on supplemental oxygen' });
  });
});

describe('plausibility boundaries (CLINICAL.md 7.1), inclusive, in canonical units', () => {
  it.each<[string, unknown, boolean]>([
    ['SBP 40', { type: 'blood_pressure', systolic: 40, diastolic: 20, unit: 'mmHg' }, true],
    ['SBP 39.9', { type: 'blood_pressure', systolic: 39.9, diastolic: 20, unit: 'mmHg' }, false],
    ['SBP 300', { type: 'blood_pressure', systolic: 300, diastolic: 100, unit: 'mmHg' }, true],
    ['SBP 300.1', { type: 'blood_pressure', systolic: 300.1, diastolic: 100, unit: 'mmHg' }, false],
    ['DBP 20', { type: 'blood_pressure', systolic: 100, diastolic: 20, unit: 'mmHg' }, true],
    ['DBP 19.9', { type: 'blood_pressure', systolic: 100, diastolic: 19.9, unit: 'mmHg' }, false],
    ['DBP 200', { type: 'blood_pressure', systolic: 250, diastolic: 200, unit: 'mmHg' }, true],
    ['DBP 200.1', { type: 'blood_pressure', systolic: 250, diastolic: 200.1, unit: 'mmHg' }, false],
    ['SBP 40.0 kPa (300.02 mm[Hg])', { type: 'blood_pressure', systolic: 40.0, diastolic: 10, unit: 'kPa' }, false],
    ['SBP 39.9 kPa (299.27 mm[Hg])', { type: 'blood_pressure', systolic: 39.9, diastolic: 10, unit: 'kPa' }, true],
    ['HR 20', { type: 'heart_rate', value: 20, unit: '/min' }, true],
    ['HR 19.9', { type: 'heart_rate', value: 19.9, unit: '/min' }, false],
    ['HR 300', { type: 'heart_rate', value: 300, unit: '/min' }, true],
    ['HR 300.1', { type: 'heart_rate', value: 300.1, unit: '/min' }, false],
    ['SpO2 0', { type: 'spo2', value: 0, unit: '%' }, true],
    ['SpO2 -0.1', { type: 'spo2', value: -0.1, unit: '%' }, false],
    ['SpO2 100', { type: 'spo2', value: 100, unit: '%' }, true],
    ['SpO2 100.1', { type: 'spo2', value: 100.1, unit: '%' }, false],
    ['weight 20 kg', { type: 'body_weight', value: 20, unit: 'kg' }, true],
    ['weight 19.9 kg', { type: 'body_weight', value: 19.9, unit: 'kg' }, false],
    ['weight 350 kg', { type: 'body_weight', value: 350, unit: 'kg' }, true],
    ['weight 350.1 kg', { type: 'body_weight', value: 350.1, unit: 'kg' }, false],
    ['weight 44 lb (19.96 kg)', { type: 'body_weight', value: 44, unit: 'lb' }, false],
    ['weight 45 lb (20.41 kg)', { type: 'body_weight', value: 45, unit: 'lb' }, true],
    ['weight 771 lb (349.7 kg)', { type: 'body_weight', value: 771, unit: 'lb' }, true],
    ['weight 772 lb (350.2 kg)', { type: 'body_weight', value: 772, unit: 'lb' }, false],
    ['weight 3 lb (1.36 kg)', { type: 'body_weight', value: 3, unit: 'lb' }, false],
    ['glucose 20 mg/dL', { type: 'glucose', value: 20, unit: 'mg/dL' }, true],
    ['glucose 19.9 mg/dL', { type: 'glucose', value: 19.9, unit: 'mg/dL' }, false],
    ['glucose 1000 mg/dL', { type: 'glucose', value: 1000, unit: 'mg/dL' }, true],
    ['glucose 1000.1 mg/dL', { type: 'glucose', value: 1000.1, unit: 'mg/dL' }, false],
    ['glucose 1.1 mmol/L (19.8 mg/dL)', { type: 'glucose', value: 1.1, unit: 'mmol/L' }, false],
    ['glucose 1.2 mmol/L (21.6 mg/dL)', { type: 'glucose', value: 1.2, unit: 'mmol/L' }, true],
    ['temperature 25 Cel', { type: 'body_temperature', value: 25, unit: 'Cel' }, true],
    ['temperature 24.9 Cel', { type: 'body_temperature', value: 24.9, unit: 'Cel' }, false],
    ['temperature 45 Cel', { type: 'body_temperature', value: 45, unit: 'Cel' }, true],
    ['temperature 45.1 Cel', { type: 'body_temperature', value: 45.1, unit: 'Cel' }, false],
    ['temperature 77 degF (25 Cel)', { type: 'body_temperature', value: 77, unit: 'degF' }, true],
    ['temperature 76.9 degF', { type: 'body_temperature', value: 76.9, unit: 'degF' }, false],
    ['temperature 113 degF (45 Cel)', { type: 'body_temperature', value: 113, unit: 'degF' }, true],
    ['temperature 113.1 degF', { type: 'body_temperature', value: 113.1, unit: 'degF' }, false],
    ['RR 3', { type: 'respiratory_rate', value: 3, unit: '/min' }, true],
    ['RR 2.9', { type: 'respiratory_rate', value: 2.9, unit: '/min' }, false],
    ['RR 70', { type: 'respiratory_rate', value: 70, unit: '/min' }, true],
    ['RR 70.1', { type: 'respiratory_rate', value: 70.1, unit: '/min' }, false],
  ])('%s -> accepted %s', (_name, reading, ok) => {
    expect(normalize(reading).ok).toBe(ok);
  });

  it('says which quantity and range', () => {
    expect(normalize({ type: 'spo2', value: 101, unit: '%' })).toEqual({ ok: false, detail: 'SpO2 outside the plausible range 0-100 %' });
    expect(implausibility('x', 5, { min: 1, max: 4, unit: 'u' })).toBe('x outside the plausible range 1-4 u');
    expect(implausibility('x', 4, { min: 1, max: 4, unit: 'u' })).toBeNull();
  });

  it('lists every problem of a reading', () => {
    const result = normalize({ type: 'blood_pressure', systolic: 30, diastolic: 210, unit: 'mmHg' });
    expect(result).toEqual({
      ok: false,
      detail:
        'systolic outside the plausible range 40-300 mm[Hg]; diastolic outside the plausible range 20-200 mm[Hg]; systolic not above diastolic',
    });
  });

  it('PLAUSIBLE is in canonical units', () => {
    expect(PLAUSIBLE.systolic.unit).toBe(UCUM.mmHg);
    expect(PLAUSIBLE.bodyTemperature.unit).toBe(UCUM.celsius);
    expect(PLAUSIBLE.glucose.unit).toBe(UCUM.mgPerDl);
  });
});

describe('device error frames: 2047 (SFLOAT NaN 0x07FF)', () => {
  it.each<[string, unknown]>([
    ['both BP fields', { type: 'blood_pressure', systolic: 2047, diastolic: 2047, unit: 'mmHg' }],
    ['systolic only', { type: 'blood_pressure', systolic: 2047, diastolic: 80, unit: 'mmHg' }],
    ['diastolic only', { type: 'blood_pressure', systolic: 120, diastolic: 2047, unit: 'mmHg' }],
    ['BP in kPa', { type: 'blood_pressure', systolic: 2047, diastolic: 2047, unit: 'kPa' }],
    ['heart rate', { type: 'heart_rate', value: 2047, unit: '/min' }],
    ['SpO2', { type: 'spo2', value: 2047, unit: '%' }],
    ['glucose', { type: 'glucose', value: 2047, unit: 'mg/dL' }],
  ])('%s -> rejected as an error frame', (_name, reading) => {
    const result = normalize(reading);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.detail).toMatch(new RegExp(`carries ${SFLOAT_NAN} \\(SFLOAT NaN\\)`));
  });
});

describe('SBP must be above DBP', () => {
  it.each<[number, number, string, boolean]>([
    [120, 120, 'mmHg', false],
    [110, 120, 'mmHg', false],
    [120.1, 120, 'mmHg', true],
    [121, 120, 'mmHg', true],
    [16, 16, 'kPa', false],
    [16.1, 16, 'kPa', true],
  ])('%s/%s %s -> accepted %s', (systolic, diastolic, unit, ok) => {
    const result = normalize({ type: 'blood_pressure', systolic, diastolic, unit });
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.detail).toBe('systolic not above diastolic');
  });
});

describe('a Fahrenheit-looking value in a Cel field is flagged, not converted', () => {
  it.each<[number, boolean, RegExp | null]>([
    [45, true, null],
    [45.1, false, /outside the plausible range 25-45 Cel/],
    [76.9, false, /outside the plausible range 25-45 Cel/],
    [77, false, /looks like Fahrenheit sent as Cel; not converted/],
    [98.6, false, /looks like Fahrenheit/],
    [100.4, false, /looks like Fahrenheit/],
    [113, false, /looks like Fahrenheit/],
    [113.1, false, /outside the plausible range 25-45 Cel/],
  ])('%s Cel -> accepted %s', (value, ok, detail) => {
    const result = normalize({ type: 'body_temperature', value, unit: 'Cel' });
    expect(result.ok).toBe(ok);
    if (!result.ok && detail) expect(result.detail).toMatch(detail);
  });

  it('the same number with unit degF is converted', () => {
    expect(accepted({ type: 'body_temperature', value: 98.6, unit: 'degF' }).components[0]?.value).toBeCloseTo(37, 10);
  });
});
