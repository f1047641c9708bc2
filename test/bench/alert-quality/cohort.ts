import type { DeviceReading, ObservationV1, Program, Spo2Scale } from '@rpm/contracts';
import { normalizeReading, toObservation } from '@rpm/vitals';

/** The simulated cohort of bench:alert-quality: patients, their readings, labelled deteriorations. */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const TIMEZONE = 'America/New_York';
/** Local midnight in New York (EDT). */
export const START = Date.parse('2026-10-01T04:00:00Z');

/** mulberry32: a small seeded generator, so every run simulates the same cohort. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Kind = 'hf_decompensation' | 'copd_exacerbation' | 'hypertensive_urgency' | 'hypoglycaemia';

/** A labelled deterioration: what it is, when it starts, and until when an alert counts as catching it. */
export interface InjectedEvent {
  readonly kind: Kind;
  readonly onset: number;
  readonly end: number;
}

export interface SimulatedPatient {
  readonly id: string;
  readonly programs: Program[];
  readonly spo2Scale: Spo2Scale;
  readonly event: InjectedEvent | null;
  /** Readings in arrival order (late syncs and resends included). */
  readonly readings: ObservationV1[];
}

const EVENT_OF: Partial<Record<Program, Kind>> = {
  heart_failure: 'hf_decompensation',
  copd: 'copd_exacerbation',
  hypertension: 'hypertensive_urgency',
  diabetes: 'hypoglycaemia',
};

/** How long an injected deterioration lasts, in days (the window an alert must fall in is this plus 2 days). */
const EVENT_DAYS: Readonly<Record<Kind, number>> = { hf_decompensation: 5, copd_exacerbation: 4, hypertensive_urgency: 1, hypoglycaemia: 1 };

export function simulate(index: number, days: number, random: () => number): SimulatedPatient {
  const gauss = (sd: number): number => {
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v) * sd;
  };
  const programme: Program | null = (['heart_failure', 'hypertension', 'copd', 'diabetes', null] as const)[index % 5] ?? null;
  const programs: Program[] = programme ? [programme] : [];
  const spo2Scale: Spo2Scale = programme === 'copd' ? 2 : 1;
  const id = `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
  // About a third of each programme's patients deteriorate once, after a week of baseline.
  const kind = programme ? EVENT_OF[programme] : undefined;
  const event: InjectedEvent | null =
    kind && random() < 0.35 ? (() => {
      const onsetDay = 8 + Math.floor(random() * (days - 14));
      const onset = START + onsetDay * DAY_MS + 6 * HOUR_MS;
      return { kind, onset, end: onset + EVENT_DAYS[kind] * DAY_MS };
    })() : null;

  // Each patient's own baseline: chronic illness shifts it (a COPD patient lives at 89–92 %).
  const base = {
    weight: 70 + random() * 40,
    systolic: programme === 'hypertension' ? 132 + random() * 16 : 118 + random() * 16,
    diastolic: programme === 'hypertension' ? 80 + random() * 8 : 72 + random() * 8,
    heartRate: programme === 'heart_failure' ? 74 + random() * 18 : 66 + random() * 14,
    spo2: programme === 'copd' ? 89.5 + random() * 2.5 : 95 + random() * 3,
    respiratoryRate: programme === 'copd' ? 17 + random() * 3 : 14 + random() * 3,
    glucose: 115 + random() * 40,
  };
  // One patient in ten lives out of range on one vital: AF at 110–120 /min, uncontrolled hypertension,
  // lung disease at 91–93 % on scale 1, poor glycaemic control. A few such patients make most of a
  // per-reading system's alarms (CLINICAL.md 4.2: the top 10 % made 57 % of alarms [LANSD16]).
  if (Math.floor(index / 5) % 10 === 3) {
    if (programme === 'heart_failure') base.heartRate = 110 + random() * 8;
    if (programme === 'hypertension') base.systolic = 168 + random() * 8;
    if (programme === null) base.spo2 = 91.5 + random() * 1.5;
    if (programme === 'diabetes') base.glucose = 215 + random() * 25;
    if (programme === 'copd') base.respiratoryRate = 22 + random() * 1.5;
  }
  const progress = (t: number): number => (event && t >= event.onset ? Math.min(1, (t - event.onset) / (event.end - event.onset)) : 0);
  const active = (t: number): boolean => !!event && t >= event.onset && t <= event.end;
  const deviceOf: Record<string, string> = { body_weight: `scale-${index}`, blood_pressure: `cuff-${index}`, heart_rate: `cuff-${index}`, spo2: `oxi-${index}`, respiratory_rate: `hub-${index}`, glucose: `meter-${index}` };

  const readings: ObservationV1[] = [];
  const late: ObservationV1[] = [];
  let message = 0;
  const emit = (reading: DeviceReading, at: number, delay = 0): void => {
    const normalized = normalizeReading(reading);
    if (!normalized.ok) return; // an implausible artefact is dead-lettered by ingest, never evaluated
    const deviceId = deviceOf[reading.type] ?? `dev-${index}`;
    const observation = toObservation(normalized, {
      patientId: id,
      deviceId,
      messageId: `m${message++}`,
      measuredAt: new Date(at),
      measuredAtOffset: '-04:00',
      receivedAt: new Date(at + 5_000 + delay),
    });
    (delay > 0 ? late : readings).push(observation);
    // Device quirk: a hub that resends the same measurement under a new message id seconds later.
    if (random() < 0.03) {
      readings.push({ ...observation, messageId: `m${message}`, observationId: `${deviceId}/m${message++}/${reading.type}`, receivedAt: new Date(at + 20_000).toISOString() });
    }
  };
  const round = (v: number, decimals = 0): number => Number(v.toFixed(decimals));

  for (let day = 0; day < days; day++) {
    // Missed days: most patients skip the odd day; one in ten goes quiet for three days once.
    // Not while deteriorating: an event no reading shows is no test of any rule set.
    const dayStart = START + day * DAY_MS;
    const unwell = !!event && event.onset < dayStart + DAY_MS && event.end + DAY_MS > dayStart;
    if (!unwell && random() < 0.07) continue;
    if (!unwell && index % 10 === 3 && day >= 18 && day < 21) continue;
    const morning = START + day * DAY_MS + (7 + random()) * HOUR_MS;
    const evening = START + day * DAY_MS + (19 + random()) * HOUR_MS;
    const p = progress(morning);

    if (programme === 'heart_failure') {
      const gain = event?.kind === 'hf_decompensation' ? p * (3.0 + (index % 3) * 0.6) : 0;
      let weight = base.weight + gain + gauss(0.25);
      if (random() < 0.03) weight += 1.5 + random(); // weighed in clothes
      // A third of the scales sync their readings two days late.
      emit({ type: 'body_weight', value: round(weight, 1), unit: 'kg' }, morning, index % 3 === 0 && random() < 0.15 ? 2 * DAY_MS : 0);
    }
    for (const at of [morning + 10 * 60_000, evening]) {
      const pAt = progress(at);
      const urgency = event?.kind === 'hypertensive_urgency' && active(at);
      const hfRise = event?.kind === 'hf_decompensation' ? pAt * 18 : 0;
      const copdRise = event?.kind === 'copd_exacerbation' ? pAt : 0;
      if (programme !== 'copd' || day % 2 === 0) {
        // Home BP protocol: two readings a few minutes apart (CLINICAL.md 1.2).
        for (const offset of [0, 6 * 60_000]) {
          let systolic = base.systolic + gauss(7) + (urgency ? 62 + random() * 15 : 0);
          const diastolic = base.diastolic + gauss(5) + (urgency ? 38 + random() * 8 : 0);
          if (random() < 0.02) systolic += 20 + random() * 25; // talking, a cuff too small: one spurious spike
          emit({ type: 'blood_pressure', systolic: round(systolic), diastolic: round(Math.min(diastolic, systolic - 20)), unit: 'mmHg' }, at + offset);
        }
      }
      let heartRate = base.heartRate + gauss(5) + hfRise + (copdRise ? copdRise * 12 : 0);
      if (random() < 0.015) heartRate += 45; // an artefact of movement
      emit({ type: 'heart_rate', value: round(heartRate), unit: '/min' }, at + 60_000);
      if (programme === 'copd' || programme === 'heart_failure' || programme === null) {
        let spo2 = base.spo2 + gauss(0.8) - copdRise * 5.5;
        if (random() < 0.02) spo2 -= 6 + random() * 4; // poor perfusion, cold fingers
        emit({ type: 'spo2', value: Math.min(100, round(spo2)), unit: '%' }, at + 90_000);
      }
      if (programme === 'copd') {
        emit({ type: 'respiratory_rate', value: round(base.respiratoryRate + gauss(1.2) + copdRise * 8), unit: '/min' }, at + 120_000);
      }
    }
    if (programme === 'diabetes') {
      for (const hour of [7.5, 12.5, 18.5, 22]) {
        const at = START + day * DAY_MS + hour * HOUR_MS;
        const hypo = event?.kind === 'hypoglycaemia' && active(at) && hour === 12.5;
        let glucose = base.glucose + gauss(28) + (hour === 12.5 || hour === 18.5 ? 25 : 0);
        if (random() < 0.01) glucose += 150; // unwashed hands after fruit
        if (hypo) glucose = 45 + random() * 20;
        emit({ type: 'glucose', value: round(Math.max(25, glucose)), unit: 'mg/dL' }, at);
      }
    }
  }
  // Late syncs come after the rest here; the engine arm replays everything in arrival order.
  readings.push(...late);
  return { id, programs, spo2Scale, event, readings };
}

