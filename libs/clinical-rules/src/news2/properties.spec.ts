import fc from 'fast-check';
import { ACVPU } from './bands';
import { NEWS2_SET_WINDOW_MS, assembleNews2Set, type News2Reading } from './assemble';
import { evaluateNews2 } from './evaluate';
import { NEWS2_PARAMETERS, scoreNews2, type News2Input, type News2Parameter } from './score';
import { SET_AT, readingsOf } from './testing';

const value = (min: number, max: number) => fc.oneof(fc.integer({ min, max }), fc.double({ min, max, noNaN: true }));
const inputArb: fc.Arbitrary<News2Input> = fc.record({
  respiratoryRate: value(0, 80),
  spo2: value(50, 100),
  supplementalOxygen: fc.boolean(),
  systolicBp: value(40, 300),
  pulse: value(20, 250),
  consciousness: fc.constantFrom(...ACVPU),
  temperature: value(25, 45),
});
const scaleArb = fc.constantFrom<1 | 2>(1, 2);
const AT = Date.parse(SET_AT);
const HOUR = 3_600_000;

describe('scoreNews2 properties', () => {
  it('each sub-score is 0..3; the aggregate is 0..20 and their sum; risk and anySingleThree agree', () => {
    fc.assert(
      fc.property(inputArb, scaleArb, (input, scale) => {
        const s = scoreNews2(input, scale);
        const points = NEWS2_PARAMETERS.map((p) => s.subScores[p]);
        expect(points.every((p) => Number.isInteger(p) && p >= 0 && p <= 3)).toBe(true);
        expect(s.aggregate).toBe(points.reduce<number>((a, b) => a + b, 0));
        expect(s.aggregate >= 0 && s.aggregate <= 20).toBe(true);
        expect(s.anySingleThree).toBe(points.includes(3));
        if (s.anySingleThree && s.aggregate < 5) expect(s.risk).toBe('low-medium');
      }),
    );
  });

  it('the two scales differ only in the SpO2 sub-score', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const [one, two] = [scoreNews2(input, 1), scoreNews2(input, 2)];
        expect({ ...one.subScores, spo2: 0 }).toEqual({ ...two.subScores, spo2: 0 });
      }),
    );
  });

  it('evaluateNews2 fires EW-01 on high risk, EW-02 on medium or low-medium, EW-03 on low 1-4, nothing on 0', () => {
    fc.assert(
      fc.property(inputArb, scaleArb, (input, scale) => {
        const { score, firing } = evaluateNews2(assembleNews2Set(readingsOf(input), SET_AT)!, scale);
        const expected = { high: 'EW-01', medium: 'EW-02', 'low-medium': 'EW-02', low: score.aggregate > 0 ? 'EW-03' : null }[score.risk];
        expect(firing?.ruleId ?? null).toBe(expected);
      }),
    );
  });
});

/** Readings of random parameters, times within 3 h before the evaluation time or up to 30 min after. */
const readingArb: fc.Arbitrary<News2Reading> = fc
  .record({
    parameter: fc.constantFrom(...NEWS2_PARAMETERS),
    input: inputArb,
    offset: fc.integer({ min: -3 * HOUR, max: HOUR / 2 }).map((ms) => Math.round(ms / 60_000) * 60_000),
    sourceId: fc.constantFrom('a', 'b', 'c'),
  })
  .map(({ parameter, input, offset, sourceId }) => ({ parameter, value: input[parameter], measuredAt: new Date(AT + offset).toISOString(), sourceId }) as News2Reading);

describe('assembleNews2Set properties', () => {
  it('the order of the readings does not change the result', () => {
    // Random readings, half the time on top of a complete set within the last 60 min, so both outcomes occur.
    const completeArb = fc.option(
      fc.tuple(inputArb, fc.integer({ min: 0, max: 60 })).map(([input, ago]) => readingsOf(input, { pulse: ago })),
      { nil: [] },
    );
    const arb = fc
      .tuple(fc.array(readingArb, { maxLength: 20 }), completeArb)
      .map(([random, complete]) => [...random, ...complete])
      .chain((readings) => fc.tuple(fc.constant(readings), fc.shuffledSubarray(readings, { minLength: readings.length, maxLength: readings.length })));
    const seen = { set: 0, none: 0 };
    fc.assert(
      fc.property(arb, ([readings, shuffled]) => {
        const result = assembleNews2Set(readings, SET_AT);
        seen[result ? 'set' : 'none'] += 1;
        expect(assembleNews2Set(shuffled, SET_AT)).toEqual(result);
      }),
      { numRuns: 300 },
    );
    expect(seen.set).toBeGreaterThan(0);
    expect(seen.none).toBeGreaterThan(0);
  });

  it('complete within 60 min: a set; any parameter more than 60 min older than the newest: null', () => {
    const arb = fc.record({
      input: inputArb,
      offsets: fc.tuple(...NEWS2_PARAMETERS.map(() => fc.integer({ min: 0, max: NEWS2_SET_WINDOW_MS }))),
      stale: fc.constantFrom<News2Parameter | null>(null, ...NEWS2_PARAMETERS),
      staleBy: fc.integer({ min: NEWS2_SET_WINDOW_MS + 1, max: 24 * HOUR }),
    });
    fc.assert(
      fc.property(arb, ({ input, offsets, stale, staleBy }) => {
        const minutesAgo = Object.fromEntries(NEWS2_PARAMETERS.map((p, i) => [p, (p === stale ? staleBy : offsets[i]!) / 60_000]));
        // The newest reading sits at the evaluation time, so "older than the newest" is "older than SET_AT".
        const readings = readingsOf(input, { ...minutesAgo, [stale === 'pulse' ? 'spo2' : 'pulse']: 0 });
        const set = assembleNews2Set(readings, SET_AT);
        if (stale === null) expect(set?.input).toEqual(input);
        else expect(set).toBeNull();
      }),
    );
  });
});
