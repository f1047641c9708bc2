import { assembleNews2Set, type News2Reading } from './assemble';
import { NEWS2_PARAMETERS } from './score';
import { NORMAL_INPUT, SET_AT, aReading, anInput, minutesBefore, readingsOf } from './testing';

describe('assembleNews2Set', () => {
  it('returns the complete set, its readings and its span when all seven are within 60 min', () => {
    const readings = readingsOf(NORMAL_INPUT, { respiratoryRate: 45, consciousness: 10 });
    expect(assembleNews2Set(readings, SET_AT)).toEqual({
      input: NORMAL_INPUT,
      readings: Object.fromEntries(readings.map((r) => [r.parameter, r])),
      newestAt: SET_AT,
      oldestAt: minutesBefore(45),
    });
  });

  it.each(NEWS2_PARAMETERS)('a set without %s is partial: null, never a default such as "air" or "alert"', (missing) => {
    expect(assembleNews2Set(readingsOf().filter((r) => r.parameter !== missing), SET_AT)).toBeNull();
  });

  it('exactly 60 min apart still counts; 60 min and 1 ms does not', () => {
    expect(assembleNews2Set(readingsOf(NORMAL_INPUT, { temperature: 60 }), SET_AT)).not.toBeNull();
    expect(assembleNews2Set(readingsOf(NORMAL_INPUT, { temperature: 60 + 1 / 60_000 }), SET_AT)).toBeNull();
  });

  it('measures the span between the readings, not from the evaluation time', () => {
    const readings = readingsOf(NORMAL_INPUT, Object.fromEntries(NEWS2_PARAMETERS.map((p, i) => [p, 100 + i * 5])));
    expect(assembleNews2Set(readings, SET_AT)).toMatchObject({ newestAt: minutesBefore(100), oldestAt: minutesBefore(130) });
  });

  it('uses the latest reading of each parameter; an older one does not make the set stale', () => {
    const old = aReading('pulse', anInput({ pulse: 140 }), minutesBefore(300), 'old-pulse');
    const set = assembleNews2Set([old, ...readingsOf(anInput({ pulse: 72 }))], SET_AT);
    expect(set?.input.pulse).toBe(72);
    expect(set?.readings.pulse.sourceId).toBe('src-pulse');
  });

  it('ignores readings measured after the evaluation time, so a replay sees the same set', () => {
    const later = aReading('pulse', anInput({ pulse: 140 }), minutesBefore(-5), 'later');
    expect(assembleNews2Set([...readingsOf(), later], SET_AT)?.input.pulse).toBe(NORMAL_INPUT.pulse);
    expect(assembleNews2Set([later], minutesBefore(-5))).toBeNull();
  });

  it('a stale parameter whose newer reading lies in the future of the evaluation time makes the set partial', () => {
    const readings = readingsOf(NORMAL_INPUT, { spo2: 90 });
    expect(assembleNews2Set([...readings, aReading('spo2', NORMAL_INPUT, minutesBefore(-1))], SET_AT)).toBeNull();
  });

  it('breaks a tie on measuredAt by sourceId, independent of order', () => {
    const a = aReading('pulse', anInput({ pulse: 60 }), SET_AT, 'obs-a');
    const b = aReading('pulse', anInput({ pulse: 120 }), SET_AT, 'obs-b');
    const rest = readingsOf().filter((r) => r.parameter !== 'pulse');
    expect(assembleNews2Set([a, b, ...rest], SET_AT)?.input.pulse).toBe(120);
    expect(assembleNews2Set([b, a, ...rest], SET_AT)?.input.pulse).toBe(120);
  });

  it('throws on an invalid time or a mistyped value (a caller bug, never a score)', () => {
    expect(() => assembleNews2Set(readingsOf(), 'yesterday')).toThrow(RangeError);
    const bad = { parameter: 'pulse', value: Number.NaN, measuredAt: SET_AT, sourceId: 'x' } as News2Reading;
    expect(() => assembleNews2Set([...readingsOf().filter((r) => r.parameter !== 'pulse'), bad], SET_AT)).toThrow();
  });
});
