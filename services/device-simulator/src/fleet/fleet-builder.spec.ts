import { DeviceId } from '@rpm/contracts';
import { createRng } from '../random/rng';
import { buildFleet, devicesForPrograms, type FleetSpec } from './fleet-builder';

const spec = (overrides: Partial<FleetSpec> = {}): FleetSpec => ({
  patients: 20,
  seed: 11,
  runId: 'r1',
  windowStartMs: Date.UTC(2025, 0, 1),
  spanDays: 7,
  deteriorationShare: 0.3,
  mixedUnits: true,
  ...overrides,
});

describe('buildFleet', () => {
  const fleet = buildFleet(spec());
  const devices = fleet.flatMap((p) => p.devices);

  it('gives each device a valid id unique to the run: sim-<runId>-p007-bp', () => {
    expect(new Set(devices.map((d) => d.deviceId)).size).toBe(devices.length);
    for (const d of devices) {
      expect(DeviceId.safeParse(d.deviceId).success).toBe(true);
      expect(d.deviceId).toMatch(/^sim-r1-p\d{3}-(bp|scale|oxi|glu|temp|hub)$/);
    }
    const other = buildFleet(spec({ runId: 'r2' })).flatMap((p) => p.devices.map((d) => d.deviceId));
    expect(other.some((id) => devices.some((d) => d.deviceId === id))).toBe(false);
  });

  it('covers all four programmes, some patients in two, and several time zones', () => {
    expect(new Set(fleet.flatMap((p) => p.programs))).toEqual(new Set(['heart_failure', 'hypertension', 'copd', 'diabetes']));
    expect(fleet.some((p) => p.programs.length === 2)).toBe(true);
    expect(new Set(fleet.map((p) => p.timezone)).size).toBeGreaterThanOrEqual(3);
  });

  it('uses obviously synthetic names and MRNs', () => {
    for (const p of fleet) {
      expect(p.name).toMatch(/^Simulated Patient P\d{3}$/);
      expect(p.mrn).toMatch(/^SIM-R1-P\d{3}$/);
    }
  });

  it('makes exactly one kPa cuff, one lb scale, one mmol/L meter, one degF thermometer and one UTC scale', () => {
    const quirks = devices.map((d) => d.unitQuirk).filter(Boolean).sort();
    expect(quirks).toEqual(['degF', 'kPa', 'lb', 'mmol/L']);
    expect(devices.filter((d) => d.reportsUtc)).toHaveLength(1);
    expect(buildFleet(spec({ mixedUnits: false })).flatMap((p) => p.devices).every((d) => !d.unitQuirk && !d.reportsUtc)).toBe(true);
  });

  it('lets the configured share of patients deteriorate', () => {
    expect(buildFleet(spec({ deteriorationShare: 0 })).every((p) => p.episode === null)).toBe(true);
    expect(buildFleet(spec({ deteriorationShare: 1 })).every((p) => p.episode !== null)).toBe(true);
  });

  it('is deterministic for a seed', () => {
    expect(buildFleet(spec())).toEqual(fleet);
  });
});

describe('devicesForPrograms', () => {
  it.each([
    [['heart_failure'], ['bp_cuff', 'scale'], ['pulse_oximeter']],
    [['hypertension'], ['bp_cuff'], []],
    [['copd'], ['pulse_oximeter', 'thermometer'], ['hub']],
    [['diabetes'], ['glucometer', 'bp_cuff'], []],
  ] as const)('%j needs %j (optionally %j)', (programs, required, optional) => {
    for (let s = 0; s < 20; s++) {
      const kinds = devicesForPrograms(programs, createRng(s));
      for (const k of required) expect(kinds).toContain(k);
      for (const k of kinds) expect([...required, ...optional]).toContain(k);
    }
  });

  it('gives a patient in two programmes one cuff, not two', () => {
    expect(devicesForPrograms(['hypertension', 'diabetes'], createRng(1)).filter((k) => k === 'bp_cuff')).toHaveLength(1);
  });
});
