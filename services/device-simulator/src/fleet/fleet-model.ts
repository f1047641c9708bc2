import type { Program } from '@rpm/contracts';
import type { Baseline } from '../physiology/baseline';
import type { Episode } from '../physiology/deterioration';

/** Device kinds the simulator emulates (a subset of the registry's DeviceKind). */
export const SIM_DEVICE_KINDS = ['bp_cuff', 'scale', 'pulse_oximeter', 'glucometer', 'thermometer', 'hub'] as const;
export type SimDeviceKind = (typeof SIM_DEVICE_KINDS)[number];

/** A non-canonical unit one device of the fleet reports in (CLINICAL.md 7.2 "encoding"). */
export type UnitQuirk = 'kPa' | 'lb' | 'mmol/L' | 'degF';

export interface SimDevice {
  /** Unique per run: sim-<runId>-p007-bp. Doubles as the MQTT username. */
  readonly deviceId: string;
  /** Stable across runs (p007-bp): seeds this device's randomness, so a seed replays whatever the runId. */
  readonly key: string;
  readonly kind: SimDeviceKind;
  readonly unitQuirk: UnitQuirk | null;
  /** Device clock set to UTC: measuredAt carries "Z" instead of the patient's offset (still the right instant). */
  readonly reportsUtc: boolean;
}

export interface SimPatient {
  /** p007: stable, never patient data. */
  readonly key: string;
  readonly mrn: string;
  readonly name: string;
  readonly timezone: string;
  readonly programs: readonly Program[];
  readonly devices: readonly SimDevice[];
  readonly baseline: Baseline;
  readonly episode: Episode | null;
  /** Early bird or late riser: shifts every session of the day by this many minutes. */
  readonly chronotypeShiftMin: number;
}

/** Rates of the injected quirks, each a probability per reading (or per day for skips). */
export interface QuirkRates {
  /** Same message (same messageId) published again 1 s to 3 h later. */
  readonly resend: number;
  /** BP/weight reading held on the phone and uploaded 6-72 h later with its original measuredAt. */
  readonly lateBatch: number;
  /** A cuff measurement preceded by an SFLOAT-NaN (2047) error frame. */
  readonly errorFrame: number;
  /** A device not used at all on a given day. */
  readonly skipDay: number;
}

/** Defaults from CLINICAL.md 7.2 "Simulator checklist" (rates there are Proposed). */
export const DEFAULT_QUIRK_RATES: QuirkRates = { resend: 0.03, lateBatch: 0.05, errorFrame: 0.01, skipDay: 0.08 };
