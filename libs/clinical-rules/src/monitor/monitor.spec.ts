import fc from 'fast-check';
import type { AlertClearedV1, AlertRaisedV1, AlertSignalV1, ObservationV1, Program, ProtocolOverride, Spo2Scale } from '@rpm/contracts';
import { alertKey } from '../alert-key';
import { resolveProtocol, type EffectiveProtocol } from '../protocols';
import { PATIENT_ID, anObservation, type ObservationSpec } from '../testing/builders';
import { observe } from './monitor';
import { checkSilence } from './silence';
import { EMPTY_MONITOR_STATE, parseMonitorState, serializeMonitorState, type MonitorState } from './monitor-state';

const T0 = Date.parse('2026-03-02T13:00:00.000Z'); // 08:00 in New York
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();
const EVALUATED_AT = new Date(T0);

function protocolOf(programs: Program[] = [], spo2Scale: Spo2Scale = 1, overrides: ProtocolOverride[] = [], version = 1): EffectiveProtocol {
  return resolveProtocol({ programs, spo2Scale, timezone: 'America/New_York', version, overrides });
}

let messages = 0;
function reading(spec: ObservationSpec, minutes: number): ObservationV1 {
  messages += 1;
  return anObservation({ messageId: `m-${messages}`, measuredAt: at(minutes), ...spec });
}

interface Run {
  state: MonitorState;
  signals: AlertSignalV1[];
}

function run(protocol: EffectiveProtocol, observations: readonly ObservationV1[], state: MonitorState = EMPTY_MONITOR_STATE): Run {
  const signals: AlertSignalV1[] = [];
  for (const observation of observations) {
    const result = observe(state, observation, protocol, { evaluatedAt: EVALUATED_AT });
    state = result.state;
    signals.push(...result.signals);
  }
  return { state, signals };
}

const raised = (signals: readonly AlertSignalV1[]): AlertRaisedV1[] => signals.filter((s): s is AlertRaisedV1 => s.schema === 'rpm.alert-raised.v1');
const clears = (signals: readonly AlertSignalV1[]): AlertClearedV1[] => signals.filter((s): s is AlertClearedV1 => s.schema === 'rpm.alert-cleared.v1');
const brief = (signals: readonly AlertSignalV1[]): string[] =>
  signals.map((s) => (s.schema === 'rpm.alert-raised.v1' ? `${s.ruleId} ${s.kind} ${s.severity} #${s.episode?.breaches}` : `${s.ruleId} ${s.reason}`));

const spo2 = (value: number, minutes: number): ObservationV1 => reading({ type: 'spo2', value }, minutes);
const bp = (systolic: number, diastolic: number, minutes: number): ObservationV1 => reading({ type: 'blood_pressure', systolic, diastolic }, minutes);

describe('confirmation (CLINICAL.md 4.2)', () => {
  it('SpO2 91 % once raises a medium recheck; a second 91 % 2 min later raises SP-01 high with both readings', () => {
    const { signals } = run(protocolOf(), [spo2(91, 0), spo2(91, 2)]);
    expect(brief(signals)).toEqual(['SP-01 recheck medium #1', 'SP-01 alert high #2']);
    const confirmed = raised(signals)[1]!;
    expect(confirmed.observations.map((o) => o.measuredAt)).toEqual([at(0), at(2)]);
    expect(confirmed.summary).toContain('confirmed by a second reading 2 min apart');
    expect(confirmed.explanation?.window).toEqual({ description: 'two readings 2 min apart (confirmation: 1–30 min)', from: at(0), to: at(2) });
  });

  it('does not confirm with a second reading closer than the minimum gap or further than the window', () => {
    expect(brief(run(protocolOf(), [spo2(91, 0), spo2(90, 0.5)]).signals)).toEqual(['SP-01 recheck medium #1', 'SP-01 recheck medium #2']);
    expect(brief(run(protocolOf(), [spo2(91, 0), spo2(90, 31)]).signals)).toEqual(['SP-01 recheck medium #1', 'SP-01 recheck medium #2']);
    // exactly at the window's edges, it confirms
    expect(brief(run(protocolOf(), [spo2(91, 0), spo2(90, 1)]).signals)[1]).toBe('SP-01 alert high #2');
    expect(brief(run(protocolOf(), [spo2(91, 0), spo2(90, 30)]).signals)[1]).toBe('SP-01 alert high #2');
  });

  it('BP-01 needs its repeat at least 5 min later; readings arriving out of order confirm by measured time', () => {
    expect(brief(run(protocolOf(), [bp(186, 95, 0), bp(184, 96, 4)]).signals)).toEqual(['BP-01 recheck medium #1', 'BP-01 recheck medium #2']);
    expect(brief(run(protocolOf(), [bp(186, 95, 10), bp(184, 96, 0)]).signals)).toEqual(['BP-01 recheck medium #1', 'BP-01 alert high #2']);
  });

  it('COPD on scale 2: 89 % raises nothing, 87 % raises an SP-03 recheck, a second 87 % confirms it', () => {
    const copd = protocolOf(['copd'], 2);
    expect(run(copd, [spo2(89, 0)]).signals).toEqual([]);
    expect(brief(run(copd, [spo2(87, 0), spo2(87, 3)]).signals)).toEqual(['SP-03 recheck low #1', 'SP-03 alert medium #2']);
  });
});

describe('episodes and deadbands', () => {
  it('updates one episode per rule, holds it through the deadband, and ends it after two readings back inside by 5 mm[Hg]', () => {
    const { signals } = run(protocolOf(['heart_failure']), [
      bp(172, 80, 0),
      bp(168, 80, 10), // inside the limit, not by the deadband: nothing
      bp(173, 80, 20), // the same episode
      bp(166, 80, 30),
      bp(165, 80, 40), // back inside by the deadband, once
      bp(164, 80, 50), // and once more: the episode ends
      bp(171, 80, 60), // a new episode
    ]);
    expect(brief(signals)).toEqual(['BP-04 alert medium #1', 'BP-04 alert medium #2', 'BP-04 returned_to_normal', 'BP-04 alert medium #1']);
    const ended = clears(signals)[0]!;
    expect(ended.measuredAt).toBe(at(50));
    expect(ended.summary).toContain('Returned to normal');
  });

  it('does not end an episode on a single normal reading between breaches (CLINICAL.md 4.2: one further reading)', () => {
    const { signals, state } = run(protocolOf(['heart_failure']), [bp(172, 80, 0), bp(160, 80, 10), bp(172, 80, 20), bp(160, 80, 30)]);
    expect(brief(signals)).toEqual(['BP-04 alert medium #1', 'BP-04 alert medium #2']);
    expect(state.open['BP-04']).toMatchObject({ n: 2, ok: 1 });
  });

  it('a worse rule taking over is no return to normal: RR 30 keeps the RR-02 episode open', () => {
    const rr = (value: number, minutes: number): ObservationV1 => reading({ type: 'respiratory_rate', value }, minutes);
    const { signals, state } = run(protocolOf(), [rr(22, 0), rr(30, 5), rr(19, 10), rr(18, 15), rr(17, 20)]);
    expect(brief(signals)).toEqual(['RR-02 alert medium #1', 'RR-01 recheck medium #1', 'RR-01 returned_to_normal', 'RR-02 returned_to_normal']);
    expect(state.open).toEqual({});
  });

  it('a late normal reading measured before the latest breach ends nothing', () => {
    const { signals } = run(protocolOf(), [spo2(93, 10), spo2(98, 5)]);
    expect(brief(signals)).toEqual(['SP-02 alert medium #1']);
  });

  it('never has two open episodes for one rule, whatever the sequence (property)', () => {
    const value = fc.integer({ min: 84, max: 99 });
    fc.assert(
      fc.property(fc.array(fc.tuple(value, fc.integer({ min: 0, max: 600 })), { maxLength: 40 }), (readings) => {
        const { signals, state } = run(protocolOf(), readings.map(([v, m]) => spo2(v, m)));
        const openNow = new Map<string, boolean>();
        for (const s of signals) {
          if (s.schema === 'rpm.alert-raised.v1') {
            const opens = s.episode?.breaches === 1;
            if (opens && openNow.get(s.ruleId)) return false;
            openNow.set(s.ruleId, true);
          } else {
            if (!openNow.get(s.ruleId)) return false;
            openNow.set(s.ruleId, false);
          }
        }
        return Object.keys(state.open).every((id) => openNow.get(id));
      }),
    );
  });
});

describe('duplicates and replays (DQ-03)', () => {
  it('drops a redelivered reading by position, the same message again, and a re-sent value within 60 s', () => {
    const first = spo2(91, 0);
    const a = observe(EMPTY_MONITOR_STATE, first, protocolOf(), { evaluatedAt: EVALUATED_AT, position: [3, 7] });
    expect(a.signals).toHaveLength(1);
    expect(observe(a.state, spo2(80, 1), protocolOf(), { evaluatedAt: EVALUATED_AT, position: [3, 7] })).toMatchObject({ duplicate: true, signals: [] });
    expect(observe(a.state, first, protocolOf(), { evaluatedAt: EVALUATED_AT, position: [3, 8] })).toMatchObject({ duplicate: true, signals: [] });
    // After a repartitioning the patient's readings come from another partition, at low offsets again.
    expect(observe(a.state, spo2(80, 1), protocolOf(), { evaluatedAt: EVALUATED_AT, position: [5, 2] }).duplicate).toBe(false);
    const resent = anObservation({ type: 'spo2', value: 91, messageId: 'other-id', measuredAt: new Date(T0 + 45_000).toISOString() });
    expect(observe(a.state, resent, protocolOf(), { evaluatedAt: EVALUATED_AT })).toMatchObject({ duplicate: true, signals: [] });
    const later = anObservation({ type: 'spo2', value: 91, messageId: 'later-id', measuredAt: new Date(T0 + 75_000).toISOString() });
    expect(observe(a.state, later, protocolOf(), { evaluatedAt: EVALUATED_AT }).duplicate).toBe(false);
  });

  it('replaying the same readings twice adds nothing (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 85, max: 99 }), fc.integer({ min: 0, max: 300 })), { minLength: 1, maxLength: 12 }), (readings) => {
        const observations = readings.map(([v, m]) => spo2(v, m));
        const once = run(protocolOf(), observations);
        const twice = run(protocolOf(), observations, once.state);
        return twice.signals.length === 0 && serializeMonitorState(twice.state) === serializeMonitorState(once.state);
      }),
    );
  });
});

describe('trends in the monitor', () => {
  const weight = (value: number, unit: 'kg' | 'lb', day: number): ObservationV1 => reading({ type: 'body_weight', value, unit }, day * 24 * 60);

  it('an HF patient gaining 3.5 lb overnight raises HF-01; two later days without the gain end it', () => {
    const { signals } = run(protocolOf(['heart_failure']), [weight(180, 'lb', 0), weight(183.5, 'lb', 1), weight(183.4, 'lb', 2), weight(183.6, 'lb', 3)]);
    expect(brief(signals)).toEqual(['HF-01 alert medium #1', 'HF-01 returned_to_normal']);
    const hf01 = raised(signals)[0]!;
    expect(hf01.explanation?.rule).toMatchObject({ id: 'HF-01', version: 'heart_failure v1' });
    expect(hf01.explanation?.thresholds[0]).toMatchObject({ parameter: 'changes.0', value: 1.36, unit: 'kg', provenance: { source: 'programme', protocol: 'heart_failure', version: 1 } });
  });

  it('a scale that syncs three days late still feeds the trend, in measured order', () => {
    const late = (value: number, day: number): ObservationV1 =>
      anObservation({ type: 'body_weight', value, messageId: `late-${day}`, measuredAt: at(day * 24 * 60), receivedAt: at(4 * 24 * 60) });
    const { signals } = run(protocolOf(['heart_failure']), [late(81, 1), late(83, 2)]);
    expect(raised(signals).map((s) => [s.ruleId, s.retrospective])).toEqual([['HF-01', true]]);
  });
});

describe('out-of-order weights', () => {
  it('judges the later day again when an earlier weight arrives after it, keyed to the later weight', () => {
    const day2 = anObservation({ type: 'body_weight', value: 183.5, unit: 'lb', messageId: 'day-2', measuredAt: at(24 * 60) });
    const day1 = anObservation({ type: 'body_weight', value: 180, unit: 'lb', messageId: 'day-1', measuredAt: at(0), receivedAt: at(24 * 60 + 30) });
    const { signals } = run(protocolOf(['heart_failure']), [day2, day1]);
    const hf01 = raised(signals);
    expect(hf01.map((a) => [a.ruleId, a.alertKey, a.measuredAt])).toEqual([['HF-01', alertKey(PATIENT_ID, 'HF-01', day2.observationId), day2.measuredAt]]);
    expect(hf01[0]!.observations.map((o) => o.value)).toEqual([expect.closeTo(83.23, 2), expect.closeTo(81.65, 2)]);
  });

  it('raises the same alert whichever order the two weights arrive in', () => {
    const day2 = anObservation({ type: 'body_weight', value: 183.5, unit: 'lb', messageId: 'day-2', measuredAt: at(24 * 60) });
    const day1 = anObservation({ type: 'body_weight', value: 180, unit: 'lb', messageId: 'day-1', measuredAt: at(0) });
    const keys = (order: ObservationV1[]) => raised(run(protocolOf(['heart_failure']), order).signals).map((a) => a.alertKey);
    expect(keys([day2, day1])).toEqual(keys([day1, day2]));
  });
});

describe('NEWS2 in the monitor', () => {
  const set = (minutes: number, values: { rr: number; spo2: number; sbp: number; hr: number; temp: number; acvpu?: 'alert' | 'confusion'; o2?: boolean }): ObservationV1[] => [
    reading({ type: 'respiratory_rate', value: values.rr }, minutes),
    reading({ type: 'spo2', value: values.spo2 }, minutes),
    reading({ type: 'blood_pressure', systolic: values.sbp, diastolic: 70 }, minutes),
    reading({ type: 'heart_rate', value: values.hr }, minutes),
    reading({ type: 'body_temperature', value: values.temp }, minutes),
    reading({ type: 'consciousness', value: values.acvpu ?? 'alert' }, minutes),
    reading({ type: 'supplemental_oxygen', value: values.o2 ?? false }, minutes),
  ];

  it('raises nothing on a partial set and EW-01 with sub-scores once all seven are in', () => {
    const observations = set(0, { rr: 24, spo2: 95, sbp: 100, hr: 112, temp: 38.5, o2: true });
    const partial = run(protocolOf(), observations.slice(0, 6));
    expect(raised(partial.signals).filter((s) => s.ruleId.startsWith('EW'))).toEqual([]);
    const full = run(protocolOf(), observations.slice(6), partial.state);
    const ew = raised(full.signals).find((s) => s.ruleId.startsWith('EW'))!;
    expect(ew.ruleId).toBe('EW-01');
    expect(ew.explanation?.news2).toEqual({
      aggregate: 10,
      scale: 1,
      subScores: { respiratoryRate: 2, spo2: 1, supplementalOxygen: 2, systolicBp: 2, pulse: 2, consciousness: 0, temperature: 1 },
    });
    expect(ew.observations).toHaveLength(7);
  });

  it('an unchanged score is not re-sent; a score below the rule band ends the episode', () => {
    const first = run(protocolOf(), set(0, { rr: 24, spo2: 95, sbp: 100, hr: 112, temp: 38.5, o2: true }));
    const again = run(protocolOf(), [reading({ type: 'heart_rate', value: 113 }, 5)], first.state);
    expect(raised(again.signals).filter((s) => s.ruleId.startsWith('EW'))).toEqual([]);
    const better = run(protocolOf(), set(30, { rr: 16, spo2: 97, sbp: 120, hr: 70, temp: 37, o2: false }), again.state);
    expect(clears(better.signals).map((c) => c.ruleId)).toContain('EW-01');
  });
});

describe('missing data (AD-01)', () => {
  const hf = protocolOf(['heart_failure']);

  it('raises one low alert once the cadence has passed, once per silence, and ends it when data resumes', () => {
    const { state } = run(hf, [reading({ type: 'body_weight', value: 82 }, 0)]);
    expect(checkSilence(state, PATIENT_ID, hf, new Date(T0 + 47 * 3_600_000)).signals).toEqual([]);
    const silent = checkSilence(state, PATIENT_ID, hf, new Date(T0 + 48 * 3_600_000));
    expect(brief(silent.signals)).toEqual(['AD-01 alert low #1']);
    const alert = raised(silent.signals)[0]!;
    expect(alert.observations[0]).toMatchObject({ code: '29463-7', value: 82 });
    expect(alert.alertKey).toBe(raised(checkSilence(state, PATIENT_ID, hf, new Date(T0 + 50 * 3_600_000)).signals)[0]!.alertKey);
    expect(checkSilence(silent.state, PATIENT_ID, hf, new Date(T0 + 96 * 3_600_000)).signals).toEqual([]);
    const resumed = run(hf, [reading({ type: 'body_weight', value: 82.2 }, 49 * 60)], silent.state);
    expect(brief(resumed.signals)).toEqual(['AD-01 data_resumed']);
  });

  it('ends the silence with a new reading measured in the same second as the last one', () => {
    const { state } = run(hf, [reading({ type: 'body_weight', value: 82 }, 0)]);
    const silent = checkSilence(state, PATIENT_ID, hf, new Date(T0 + 49 * 3_600_000));
    const sameSecond = anObservation({ type: 'heart_rate', value: 70, messageId: 'same-second', measuredAt: new Date(T0 + 400).toISOString() });
    expect(brief(observe(silent.state, sameSecond, hf, { evaluatedAt: EVALUATED_AT }).signals)).toEqual(['AD-01 data_resumed']);
  });

  it('does not run for a patient in no daily programme, nor before a first reading', () => {
    const { state } = run(protocolOf(), [spo2(97, 0)]);
    expect(checkSilence(state, PATIENT_ID, protocolOf(), new Date(T0 + 100 * 3_600_000)).signals).toEqual([]);
    expect(checkSilence(EMPTY_MONITOR_STATE, PATIENT_ID, hf, new Date(T0 + 100 * 3_600_000)).signals).toEqual([]);
  });

  it('follows a patient cadence override, with its provenance in the explanation', () => {
    const override: ProtocolOverride = { ruleId: 'AD-01', parameter: 'cadenceHours', value: 1, unit: 'd', setBy: 'lead-1', setAt: at(0), version: 2, reason: 'daily weights' };
    const protocol = protocolOf(['heart_failure'], 1, [override], 2);
    const { state } = run(protocol, [reading({ type: 'body_weight', value: 82 }, 0)]);
    const alert = raised(checkSilence(state, PATIENT_ID, protocol, new Date(T0 + 24 * 3_600_000)).signals)[0]!;
    expect(alert.explanation?.thresholds[0]).toMatchObject({ value: 24, unit: 'h', provenance: { source: 'patient_override', version: 2, setBy: 'lead-1' } });
    expect(alert.explanation?.rule.version).toBe('heart_failure v1 + patient v2');
  });
});

describe('patient overrides in evaluation', () => {
  it('an SP-01 threshold lowered to 89 % for one patient stops 90 % from firing SP-01 and names the override', () => {
    const override: ProtocolOverride = { ruleId: 'SP-01', parameter: 'conditions.0', value: 89, setBy: 'lead-1', setAt: at(0), version: 3 };
    const sp02Band: ProtocolOverride = { ruleId: 'SP-02', parameter: 'conditions.0', value: 89, setBy: 'lead-1', setAt: at(0), version: 3 };
    const protocol = protocolOf([], 1, [override, sp02Band], 3);
    const { signals } = run(protocol, [spo2(90, 0), spo2(88, 10)]);
    expect(brief(signals)).toEqual(['SP-02 alert medium #1', 'SP-01 recheck medium #1']);
    expect(raised(signals)[1]!.explanation?.thresholds[0]).toMatchObject({ value: 89, provenance: { source: 'patient_override', version: 3 } });
  });
});

describe('state', () => {
  it('round-trips through JSON and stays under 2 KiB with 14 days of weights and BP and a day of minute-level SpO2', () => {
    const protocol = protocolOf(['heart_failure', 'hypertension']);
    const observations: ObservationV1[] = [];
    for (let day = 0; day < 14; day++) {
      observations.push(reading({ type: 'body_weight', value: 80 + (day % 3) * 0.2 }, day * 1440));
      observations.push(reading({ type: 'blood_pressure', systolic: 128 + (day % 5), diastolic: 78 }, day * 1440 + 5));
      observations.push(reading({ type: 'blood_pressure', systolic: 126, diastolic: 77 }, day * 1440 + 600));
    }
    for (let minute = 0; minute < 1440; minute++) observations.push(reading({ type: 'spo2', value: 95 + (minute % 4) }, 14 * 1440 + minute));
    const { state } = run(protocol, observations);
    const text = serializeMonitorState(state);
    expect(parseMonitorState(text)).toEqual(state);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
  });

  it('refuses a malformed state', () => {
    expect(() => parseMonitorState({ v: 1, trend: { v: 1, days: {} }, seen: 'x', pending: {}, open: {}, news2: {} })).toThrow();
  });
});
