import type { Program } from '@rpm/contracts';
import { unitQuirkForKind } from '../messages/device-units';
import { drawBaseline } from '../physiology/baseline';
import { planEpisode } from '../physiology/deterioration';
import { forkRng, type Rng } from '../random/rng';
import type { SimDevice, SimDeviceKind, SimPatient, UnitQuirk } from './fleet-model';

/** A mix of zones: both US coasts, no-DST Phoenix, a half-hour offset and a southern-hemisphere DST. */
export const FLEET_TIME_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'Europe/London',
  'Asia/Kolkata',
  'Australia/Sydney',
] as const;

/** Short device-id suffixes, so ids read as sim-<runId>-p007-bp. */
const KIND_SUFFIX: Record<SimDeviceKind, string> = {
  bp_cuff: 'bp',
  scale: 'scale',
  pulse_oximeter: 'oxi',
  glucometer: 'glu',
  thermometer: 'temp',
  hub: 'hub',
};

/** Common comorbid pairs for the quarter of patients enrolled in two programmes. */
const SECOND_PROGRAM: Record<Program, readonly Program[]> = {
  heart_failure: ['hypertension', 'diabetes', 'copd'],
  hypertension: ['diabetes', 'heart_failure'],
  copd: ['heart_failure', 'hypertension'],
  diabetes: ['hypertension', 'heart_failure'],
};
const DUAL_PROGRAM_SHARE = 0.25;
/** Weights of the primary programme, roughly an RPM caseload: hypertension most common. */
const PRIMARY_MIX: readonly Program[] = ['hypertension', 'hypertension', 'heart_failure', 'diabetes', 'copd', 'heart_failure', 'diabetes'];
/** The four programmes first, so even a fleet of four covers every one. */
const FIRST_PROGRAMS: readonly Program[] = ['heart_failure', 'hypertension', 'copd', 'diabetes'];

export interface FleetSpec {
  readonly patients: number;
  readonly seed: number;
  readonly runId: string;
  /** Start of the simulated window (now - days); deterioration peaks are placed inside it. */
  readonly windowStartMs: number;
  readonly spanDays: number;
  /** Share of patients who deteriorate during the window (0-1). */
  readonly deteriorationShare: number;
  /** One cuff in kPa, one scale in lb, one meter in mmol/L, one thermometer in degF. */
  readonly mixedUnits: boolean;
}

/** Device kinds a programme needs (HF: cuff + scale (+ oximeter); COPD: oximeter + thermometer (+ hub); ...). */
export function devicesForPrograms(programs: readonly Program[], rng: Rng): SimDeviceKind[] {
  const kinds = new Set<SimDeviceKind>();
  for (const program of programs) {
    switch (program) {
      case 'heart_failure':
        kinds.add('bp_cuff').add('scale');
        if (rng.chance(0.5)) kinds.add('pulse_oximeter');
        break;
      case 'hypertension':
        kinds.add('bp_cuff');
        break;
      case 'copd':
        kinds.add('pulse_oximeter').add('thermometer');
        if (rng.chance(0.5)) kinds.add('hub');
        break;
      case 'diabetes':
        kinds.add('glucometer').add('bp_cuff');
        break;
    }
  }
  return [...kinds];
}

function programsFor(index: number, rng: Rng): Program[] {
  const primary = FIRST_PROGRAMS[index] ?? rng.pick(PRIMARY_MIX);
  return rng.chance(DUAL_PROGRAM_SHARE) ? [primary, rng.pick(SECOND_PROGRAM[primary])] : [primary];
}

export function patientKey(index: number): string {
  return `p${String(index + 1).padStart(3, '0')}`;
}

export function buildFleet(spec: FleetSpec): SimPatient[] {
  const patients: SimPatient[] = [];
  for (let index = 0; index < spec.patients; index++) {
    const key = patientKey(index);
    const rng = forkRng(spec.seed, 'patient', key);
    const programs = programsFor(index, rng);
    const timezone = rng.pick(FLEET_TIME_ZONES);
    const devices = devicesForPrograms(programs, rng).map(
      (kind): SimDevice => ({
        deviceId: `sim-${spec.runId}-${key}-${KIND_SUFFIX[kind]}`,
        key: `${key}-${KIND_SUFFIX[kind]}`,
        kind,
        unitQuirk: null,
        reportsUtc: false,
      }),
    );
    const baseline = drawBaseline(programs, rng);
    const deteriorates = rng.chance(spec.deteriorationShare);
    patients.push({
      key,
      // Obviously synthetic: nobody is called "Simulated Patient", and SIM- MRNs are not issued.
      mrn: `SIM-${spec.runId}-${key}`.toUpperCase(),
      name: `Simulated Patient ${key.toUpperCase()}`,
      timezone,
      programs,
      devices,
      baseline,
      episode: deteriorates ? planEpisode(programs, spec.windowStartMs, spec.spanDays, rng) : null,
      chronotypeShiftMin: Math.round(rng.normal(0, 25)),
    });
  }
  return spec.mixedUnits ? withDeviceQuirks(patients, forkRng(spec.seed, 'device-quirks')) : patients;
}

/**
 * Exactly one device of each quirk kind, picked by seed: the kPa cuff, lb scale, mmol/L meter,
 * degF thermometer, and one scale whose clock runs in UTC (CLINICAL.md 7.2 "timezone").
 */
function withDeviceQuirks(patients: SimPatient[], rng: Rng): SimPatient[] {
  const chosen = new Map<string, { unitQuirk?: UnitQuirk; reportsUtc?: boolean }>();
  const byKind = (kind: SimDeviceKind): SimDevice[] => patients.flatMap((p) => p.devices.filter((d) => d.kind === kind));
  for (const kind of ['bp_cuff', 'scale', 'glucometer', 'thermometer'] as const) {
    const candidates = byKind(kind);
    const quirk = unitQuirkForKind(kind);
    if (candidates.length > 0 && quirk) chosen.set(rng.pick(candidates).deviceId, { unitQuirk: quirk });
  }
  const utcCandidates = byKind('scale').filter((d) => !chosen.has(d.deviceId));
  if (utcCandidates.length > 0) chosen.set(rng.pick(utcCandidates).deviceId, { reportsUtc: true });

  return patients.map((p) => ({
    ...p,
    devices: p.devices.map((d) => {
      const q = chosen.get(d.deviceId);
      return q ? { ...d, unitQuirk: q.unitQuirk ?? null, reportsUtc: q.reportsUtc ?? false } : d;
    }),
  }));
}
