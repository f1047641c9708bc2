import fc from 'fast-check';
import type { ObservationV1 } from '@rpm/contracts';
import { evaluateTrends } from './evaluate-trends';
import { NEW_YORK, SYDNEY, aBp, aWeight, anSpo2, applyAll, withEnabled } from './trend-test-kit';

const PATIENT_PROGRAMS = ['heart_failure', 'hypertension'] as const;
const RULES = withEnabled('HF-03');

/** A local time on one of `days` days before 2026-03-20 (New York, EDT after 03-08). */
const localTime = (days: number) =>
  fc.record({ day: fc.integer({ min: 0, max: days - 1 }), minute: fc.integer({ min: 0, max: 24 * 60 - 1 }) }).map(({ day, minute }) => {
    const date = new Date(Date.UTC(2026, 2, 20 - day)).toISOString().slice(0, 10);
    const hhmm = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    return `${date}T${hhmm}:00-04:00`;
  });

const reading = fc.oneof(
  fc.tuple(localTime(9), fc.integer({ min: 800, max: 880 })).map(([t, v]) => () => aWeight(t, v / 10)),
  fc.tuple(localTime(8), fc.integer({ min: 120, max: 150 }), fc.integer({ min: 70, max: 95 })).map(([t, s, d]) => () => aBp(t, s, d)),
  fc.tuple(localTime(16), fc.integer({ min: 88, max: 99 })).map(([t, v]) => () => anSpo2(t, v)),
);

/** Firings of every reading, evaluated on the final state: the verdict of the whole window. */
function verdicts(state: ReturnType<typeof applyAll>, readings: readonly ObservationV1[], timezone: string): string[] {
  return readings.flatMap((o) =>
    evaluateTrends(state, o, { programs: [...PATIENT_PROGRAMS], timezone }, undefined, RULES).map((f) => `${o.observationId} ${f.ruleId} ${f.summary}`),
  );
}

describe('trend properties', () => {
  it('applying a window in any order gives the same state and the same verdicts', () => {
    fc.assert(
      fc.property(fc.array(reading, { minLength: 1, maxLength: 60 }), fc.integer(), fc.constantFrom(NEW_YORK, SYDNEY), (makers, seed, zone) => {
        const readings = makers.map((make) => make());
        const shuffled = fc.sample(fc.shuffledSubarray(readings, { minLength: readings.length, maxLength: readings.length }), { numRuns: 1, seed })[0]!;
        const inOrder = applyAll(readings, zone);
        const reordered = applyAll(shuffled, zone);
        expect(reordered).toEqual(inOrder);
        expect(verdicts(reordered, readings, zone)).toEqual(verdicts(inOrder, readings, zone));
      }),
      { numRuns: 150 },
    );
  });

  it('state JSON stays bounded whatever arrives', () => {
    fc.assert(
      fc.property(fc.array(reading, { minLength: 1, maxLength: 200 }), (makers) => {
        const state = applyAll(
          makers.map((make) => make()),
          NEW_YORK,
        );
        expect(Object.keys(state.days).length).toBeLessThanOrEqual(15);
        expect(Object.values(state.days).filter((d) => d.w).length).toBeLessThanOrEqual(8);
      }),
      { numRuns: 50 },
    );
  });
});
