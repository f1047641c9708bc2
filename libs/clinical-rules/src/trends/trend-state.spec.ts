import { randomUUID } from 'node:crypto';
import { anObservation } from '../testing/builders';
import { applyObservation } from './apply-observation';
import { NEW_YORK, aBp, aWeight, anSpo2, applyAll } from './trend-test-kit';
import { EMPTY_TREND_STATE, parseTrendState, serializeTrendState } from './trend-state';

describe('TrendState', () => {
  it('is plain JSON that round-trips, and rejects malformed input', () => {
    const state = applyAll([aWeight('2026-03-02T07:00:00-05:00', 84), aBp('2026-03-02T07:05:00-05:00', 130, 80), anSpo2('2026-03-02T07:06:00-05:00', 96)], NEW_YORK);
    expect(parseTrendState(serializeTrendState(state))).toEqual(state);
    expect(parseTrendState(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(() => parseTrendState({ v: 2, days: {} })).toThrow();
    expect(() => parseTrendState({ v: 1, days: { yesterday: {} } })).toThrow();
  });

  it('is pure: the input state is not changed, and unrelated vitals return it as is', () => {
    const before = applyAll([aWeight('2026-03-02T07:00:00-05:00', 84)], NEW_YORK);
    const copy = JSON.parse(JSON.stringify(before)) as unknown;
    applyObservation(before, aWeight('2026-03-02T06:00:00-05:00', 83), NEW_YORK);
    expect(before).toEqual(copy);
    const heartRate = anObservation({ type: 'heart_rate', value: 70, measuredAt: '2026-03-02T12:00:00.000Z' });
    expect(applyObservation(before, heartRate, NEW_YORK)).toBe(before);
  });

  it('keeps weights and BP for 8 days, SpO2 for 15, and ignores readings older than that', () => {
    const state = applyAll(
      Array.from({ length: 20 }, (_, i) => {
        const date = new Date(Date.UTC(2026, 2, 1 + i)).toISOString().slice(0, 10);
        return [aWeight(`${date}T07:00:00-05:00`, 84), aBp(`${date}T07:05:00-05:00`, 130, 80), anSpo2(`${date}T07:06:00-05:00`, 96)];
      }).flat(),
      NEW_YORK,
    );
    const dates = Object.keys(state.days);
    expect(dates).toHaveLength(15);
    expect(dates[0]).toBe('2026-03-06');
    expect(dates.filter((d) => state.days[d]?.w)).toHaveLength(8);
    expect(dates.filter((d) => state.days[d]?.b)).toHaveLength(7);
    expect(state.bp1).toBe('2026-03-01');
    expect(applyObservation(state, anSpo2('2026-03-01T07:00:00-05:00', 90), NEW_YORK)).toEqual(state);
  });

  it('merges BP readings within 10 min into sessions, bridging sessions when a reading arrives late', () => {
    const s = applyAll([aBp('2026-03-02T07:00:00-05:00', 130, 80), aBp('2026-03-02T07:20:00-05:00', 140, 90)], NEW_YORK);
    expect(s.days['2026-03-02']?.b).toHaveLength(2);
    const bridged = applyObservation(s, aBp('2026-03-02T07:10:00-05:00', 150, 70), NEW_YORK);
    expect(bridged.days['2026-03-02']?.b).toEqual([[43200, 1200, 3, 420, 240]]);
  });

  it('stays under 2 KiB after 30 days of 4 readings a day of each kind', () => {
    let state = EMPTY_TREND_STATE;
    for (let day = 0; day < 30; day++) {
      const date = new Date(Date.UTC(2026, 2, 1 + day)).toISOString().slice(0, 10);
      ['06:31', '08:47', '13:12', '21:58'].forEach((time, i) => {
        const measuredAt = new Date(`${date}T${time}:17.345-05:00`).toISOString();
        const common = { measuredAt, deviceId: `omron-${String(day * 4 + i).padStart(6, '0')}`, messageId: randomUUID() };
        state = applyObservation(state, anObservation({ ...common, type: 'body_weight', value: 185.3 + i / 10, unit: 'lb' }), NEW_YORK);
        state = applyObservation(state, anObservation({ ...common, type: 'blood_pressure', systolic: 131 + i, diastolic: 79 + i }), NEW_YORK);
        state = applyObservation(state, anObservation({ ...common, type: 'spo2', value: 93 + i }), NEW_YORK);
      });
    }
    const bytes = Buffer.byteLength(serializeTrendState(state));
    expect(bytes).toBeLessThanOrEqual(2048);
  });
});
