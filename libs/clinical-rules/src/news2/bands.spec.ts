import {
  BandTable,
  PULSE_BANDS,
  RESPIRATORY_RATE_BANDS,
  SPO2_SCALE_1_BANDS,
  SPO2_SCALE_2_AIR_BANDS,
  SPO2_SCALE_2_OXYGEN_BANDS,
  SYSTOLIC_BP_BANDS,
  TEMPERATURE_BANDS,
  pointsIn,
  roundToResolution,
} from './bands';

describe('roundToResolution (half up, on the value as written)', () => {
  it.each<[number, number, number]>([
    [38.04, 1, 38.0],
    [38.05, 1, 38.1],
    [35.05, 1, 35.1],
    [36.05, 1, 36.1],
    [39.05, 1, 39.1],
    [38.999, 1, 39.0],
    [(100.4 - 32) * (5 / 9), 1, 38.0],
    [90.4, 0, 90],
    [90.5, 0, 91],
    [219.5, 0, 220],
  ])('%s to %s decimals -> %s', (value, decimals, expected) => {
    expect(roundToResolution(value, decimals)).toBe(expected);
  });
});

describe('band tables', () => {
  it.each([RESPIRATORY_RATE_BANDS, SPO2_SCALE_1_BANDS, SPO2_SCALE_2_AIR_BANDS, SPO2_SCALE_2_OXYGEN_BANDS, SYSTOLIC_BP_BANDS, PULSE_BANDS, TEMPERATURE_BANDS])(
    'table %# is valid and frozen',
    (table) => {
      expect(BandTable.safeParse(table).success).toBe(true);
      expect(Object.isFrozen(table) && Object.isFrozen(table.bands)).toBe(true);
    },
  );

  it('rejects tables that do not ascend, are empty or score outside 0..3', () => {
    expect(BandTable.safeParse({ decimals: 0, bands: [{ upTo: 10, points: 1 }, { upTo: 5, points: 0 }], above: 3 }).success).toBe(false);
    expect(BandTable.safeParse({ decimals: 0, bands: [{ upTo: 10, points: 1 }], above: 4 }).success).toBe(false);
    expect(BandTable.safeParse({ decimals: 0, bands: [], above: 0 }).success).toBe(false);
  });

  it('never scores a non-finite value', () => {
    expect(() => pointsIn(PULSE_BANDS, Number.NaN)).toThrow(RangeError);
    expect(() => pointsIn(PULSE_BANDS, Infinity)).toThrow(RangeError);
  });

  it('bands the rounded value: SBP 90.4 -> 90 (3 points), 90.5 -> 91 (2 points)', () => {
    expect(pointsIn(SYSTOLIC_BP_BANDS, 90.4)).toBe(3);
    expect(pointsIn(SYSTOLIC_BP_BANDS, 90.5)).toBe(2);
  });
});
