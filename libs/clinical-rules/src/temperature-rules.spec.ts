import { DEFAULT_RULES } from './default-rules';
import { evaluateReading } from './evaluate-threshold';
import { parseRuleSet } from './rule-definition';
import { EVALUATED_AT, type Fired, aPatient, anObservation, firedOn } from './testing/builders';

const FEVER: Fired = ['TM-01', 'alert', 'medium'];
const LOW: Fired = ['TM-02', 'recheck', 'medium'];
const temp = (value: number, unit = 'Cel') => anObservation({ type: 'body_temperature', value, unit });

describe('TM-01 fever (>= 38.0 Cel) and TM-02 low temperature (<= 35.0 Cel, confirm)', () => {
  it.each<[number, Fired[]]>([
    [25, [LOW]],
    [34.9, [LOW]],
    [35.0, [LOW]],
    [35.01, []],
    [35.1, []],
    [36.8, []],
    [37.8, []], // TM-03 is off by default
    [37.9, []],
    [37.99, []],
    [38.0, [FEVER]],
    [39.1, [FEVER]],
    [45, [FEVER]],
  ])('%s Cel -> %j', (value, expected) => {
    expect(firedOn(temp(value))).toEqual(expected);
  });

  it.each<[number, Fired[]]>([
    [100.3, []], // 37.94 Cel
    [100.4, [FEVER]], // 38.0 Cel exactly
    [102.4, [FEVER]],
    [95.1, []], // 35.06
    [95.0, [LOW]], // 35.0 exactly
  ])('%s degF arrives converted -> %j', (value, expected) => {
    expect(firedOn(temp(value, 'degF'))).toEqual(expected);
  });

  it('shows temperature to one decimal, and the Fahrenheit value as sent', () => {
    expect(evaluateReading(temp(38), aPatient(), EVALUATED_AT)[0]).toMatchObject({
      summary: 'Temperature 38.0 Cel ≥ 38.0 (TM-01 fever)',
      threshold: 'Temperature ≥ 38.0 Cel',
    });
    expect(evaluateReading(temp(102.4, 'degF'), aPatient(), EVALUATED_AT)[0]?.summary).toBe(
      'Temperature 39.1 Cel (sent as 102.4 degF) ≥ 38.0 (TM-01 fever)',
    );
  });

  it('does not round 37.96 up into a visible "38.0 ≥ 38.0"', () => {
    // 37.96 does not fire; 38.04 does and shows as 38.0 (rounding down keeps it >= 38.0).
    expect(firedOn(temp(37.96))).toEqual([]);
    expect(evaluateReading(temp(38.04), aPatient(), EVALUATED_AT)[0]?.summary).toMatch(/^Temperature 38\.0 Cel/);
  });
});

describe('TM-03 long-term-care fever (needs age)', () => {
  it('is defined and off by default, requiring an age input', () => {
    expect(DEFAULT_RULES.find((r) => r.id === 'TM-03')).toMatchObject({
      enabledByDefault: false,
      requires: ['age_65_or_older'],
      conditions: [{ comparator: '>=', threshold: 37.8 }],
    });
  });

  it('does not fire when switched on without an age in the patient context', () => {
    const switchedOn = parseRuleSet(DEFAULT_RULES.map((r) => (r.id === 'TM-03' ? { ...r, enabledByDefault: true } : r)));
    expect(firedOn(temp(37.9), aPatient(), switchedOn)).toEqual([]);
  });
});
