import { AlertRaisedV1, Severity } from '@rpm/contracts';
import { assembleNews2Set, type News2Set } from './assemble';
import { evaluateNews2, isNews2WorklistAlert } from './evaluate';
import { NEWS2_RULES, News2Rule, describeNews2Rule } from './rules';
import type { News2Input } from './score';
import { SET_AT, anInput, readingsOf } from './testing';

const setOf = (input: News2Input): News2Set => assembleNews2Set(readingsOf(input), SET_AT)!;
type Outcome = [ruleId: string, kind: 'alert' | 'info', severity: string] | null;
const outcome = (input: News2Input, scale: 1 | 2 = 1): Outcome => {
  const f = evaluateNews2(setOf(input), scale).firing;
  return f && [f.ruleId, f.kind, f.severity];
};

const HIGH: Outcome = ['EW-01', 'alert', 'high'];
const MEDIUM: Outcome = ['EW-02', 'alert', 'medium'];
const INFO: Outcome = ['EW-03', 'info', 'info'];

describe('evaluateNews2: EW-01 > EW-02 > EW-03', () => {
  it.each<[string, Partial<News2Input>, Outcome]>([
    ['0: nothing', {}, null],
    ['1 (pulse 95)', { pulse: 95 }, INFO],
    ['4 (oxygen 2, RR 22 2)', { supplementalOxygen: true, respiratoryRate: 22 }, INFO],
    ['3 from a single 3 (new confusion)', { consciousness: 'confusion' }, MEDIUM],
    ['4 with a single 3 (SBP 88, pulse 95)', { systolicBp: 88, pulse: 95 }, MEDIUM],
    ['5 (oxygen 2, RR 22 2, pulse 95 1)', { supplementalOxygen: true, respiratoryRate: 22, pulse: 95 }, MEDIUM],
    ['6 (oxygen, RR 22, pulse 115)', { supplementalOxygen: true, respiratoryRate: 22, pulse: 115 }, MEDIUM],
    ['7 (oxygen, RR 22, pulse 115, 38.5 Cel)', { supplementalOxygen: true, respiratoryRate: 22, pulse: 115, temperature: 38.5 }, HIGH],
    ['7 with a single 3 (voice, RR 22, pulse 115)', { consciousness: 'voice', respiratoryRate: 22, pulse: 115 }, HIGH],
  ])('aggregate %s', (_label, overrides, expected) => {
    expect(outcome(anInput(overrides))).toEqual(expected);
  });

  it('applies the patient scale: SpO2 97 % on oxygen is 0+2 on scale 1 (info) but 3+2 on scale 2 (medium)', () => {
    const input = anInput({ spo2: 97, supplementalOxygen: true });
    expect(outcome(input, 1)).toEqual(INFO);
    expect(outcome(input, 2)).toEqual(MEDIUM);
  });

  it('keeps the sub-scores, the seven readings and a readable explanation', () => {
    const set = setOf(anInput({ supplementalOxygen: true, respiratoryRate: 22, pulse: 115, temperature: 38.46 }));
    const { score, firing } = evaluateNews2(set, 1);
    expect(firing).toMatchObject({
      ruleId: 'EW-01',
      ruleSource: '[NEWS2-defs] [NEWS2-calc]',
      threshold: 'NEWS2 >= 7',
      score,
      measuredAt: SET_AT,
      summary:
        'NEWS2 7 (high risk, SpO2 scale 1): RR 22 /min=2, SpO2 97 %=0, air/O2 oxygen=2, SBP 120 mm[Hg]=0, ' +
        'pulse 115 /min=2, ACVPU alert=0, temp 38.5 Cel=1 (EW-01 NEWS2 high clinical risk)',
    });
    expect(firing?.evidence.map((r) => r.parameter)).toEqual(Object.keys(score.subScores));
    expect(score.subScores).toEqual({ respiratoryRate: 2, spo2: 0, supplementalOxygen: 2, systolicBp: 0, pulse: 2, consciousness: 0, temperature: 1 });
  });

  it('an info firing is not a worklist alert and its severity is not a contracts Severity', () => {
    const { firing } = evaluateNews2(setOf(anInput({ pulse: 95 })), 1);
    expect(isNews2WorklistAlert(firing)).toBe(false);
    expect(Severity.safeParse(firing?.severity).success).toBe(false);
    expect(AlertRaisedV1.shape.severity.safeParse('info').success).toBe(false);
    const alert = evaluateNews2(setOf(anInput({ consciousness: 'pain' })), 1).firing;
    expect(isNews2WorklistAlert(alert) && Severity.parse(alert.severity)).toBe('medium');
  });
});

describe('NEWS2_RULES (CLINICAL.md section 0, EW-01..EW-03)', () => {
  it('are the rows of the table', () => {
    expect(NEWS2_RULES.map((r) => [r.id, r.level, r.source, describeNews2Rule(r)])).toEqual([
      ['EW-01', 'high', '[NEWS2-defs] [NEWS2-calc]', 'NEWS2 >= 7'],
      ['EW-02', 'medium', '[NEWS2-defs] [NEWS2-calc]', 'NEWS2 5–6 or any parameter = 3'],
      ['EW-03', 'info', '[NEWS2-report]', 'NEWS2 1–4'],
    ]);
    expect(Object.isFrozen(NEWS2_RULES) && NEWS2_RULES.every(Object.isFrozen)).toBe(true);
  });

  it('rejects malformed rules', () => {
    const ok = { id: 'EW-09', title: 't', source: '[X]', level: 'low', minAggregate: 1, maxAggregate: 2, orAnySingleThree: false };
    expect(News2Rule.safeParse(ok).success).toBe(true);
    expect(News2Rule.safeParse({ ...ok, minAggregate: 3 }).success).toBe(false);
    expect(News2Rule.safeParse({ ...ok, maxAggregate: 21 }).success).toBe(false);
    expect(News2Rule.safeParse({ ...ok, source: 'NEWS2' }).success).toBe(false);
    expect(News2Rule.safeParse({ ...ok, level: 'urgent' }).success).toBe(false);
  });
});
