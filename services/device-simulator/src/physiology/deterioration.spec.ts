import { createRng } from '../random/rng';
import { episodeEffect, episodeProgress, planEpisode, type Episode } from './deterioration';

const DAY = 86_400_000;
const PEAK = Date.UTC(2025, 5, 20);
const episode = (kind: Episode['kind']): Episode => ({ kind, peakAtMs: PEAK, intensity: 1 });

describe('deterioration episodes', () => {
  it('ramps up to the peak, holds, then recovers to baseline', () => {
    const e = episode('copd_exacerbation');
    expect(episodeProgress(e, PEAK - 30 * DAY).level).toBe(0);
    expect(episodeProgress(e, PEAK - 3 * DAY).level).toBeCloseTo(0.5);
    expect(episodeProgress(e, PEAK + DAY).level).toBe(1);
    expect(episodeProgress(e, PEAK + 30 * DAY).level).toBe(0);
  });

  it('HF: weight +0.9 kg over the first 14 days, then faster enough to trip HF-01/HF-02, with HR drifting up', () => {
    const e = episode('hf_decompensation');
    const onset = PEAK - 18 * DAY;
    expect(episodeEffect(e, onset).weightKg).toBeCloseTo(0);
    expect(episodeEffect(e, onset + 14 * DAY).weightKg).toBeCloseTo(0.9, 5);
    const lastWeek = episodeEffect(e, PEAK).weightKg - episodeEffect(e, PEAK - 7 * DAY).weightKg;
    expect(lastWeek).toBeGreaterThan(2.27); // HF-02: > 5 lb over 7 days
    expect(episodeEffect(e, PEAK).heartRate).toBeGreaterThan(episodeEffect(e, onset + 7 * DAY).heartRate);
  });

  it('COPD: SpO2 falls at least 3 points while HR and RR rise over about 6 days', () => {
    const peak = episodeEffect(episode('copd_exacerbation'), PEAK);
    expect(peak.spo2).toBeLessThanOrEqual(-3);
    expect(peak.heartRate).toBeGreaterThan(10);
    expect(peak.respiratoryRate).toBeGreaterThan(0);
    expect(episodeEffect(episode('copd_exacerbation'), PEAK - 7 * DAY).spo2).toBeCloseTo(0);
  });

  it('hypertension: systolic climbs by tens of mmHg (into the crisis band from a stage-2 baseline)', () => {
    expect(episodeEffect(episode('bp_escalation'), PEAK).systolic).toBeGreaterThanOrEqual(35);
    expect(episodeEffect(episode('bp_escalation'), PEAK).diastolic).toBeGreaterThan(10);
  });

  it('diabetes: glucose runs high', () => {
    expect(episodeEffect(episode('hyperglycaemia'), PEAK).glucose).toBeGreaterThan(100);
  });

  it('no episode, no effect', () => {
    expect(Object.values(episodeEffect(null, PEAK)).every((v) => v === 0)).toBe(true);
  });

  it('places the peak inside the observed window and picks a kind of one of the programmes', () => {
    const start = Date.UTC(2025, 0, 1);
    for (let s = 0; s < 50; s++) {
      const e = planEpisode(['copd', 'heart_failure'], start, 10, createRng(s))!;
      expect(['copd_exacerbation', 'hf_decompensation']).toContain(e.kind);
      expect(e.peakAtMs).toBeGreaterThan(start);
      expect(e.peakAtMs).toBeLessThan(start + 10 * DAY);
    }
    expect(planEpisode([], start, 10, createRng(1))).toBeNull();
  });
});
