import type { DeviceReading } from '@rpm/contracts';
import { KG_PER_LB, MGDL_PER_MMOLL, MMHG_PER_KPA } from '@rpm/vitals';
import type { UnitQuirk } from '../fleet/fleet-model';

const round1 = (v: number): number => Math.round(v * 10) / 10;

/**
 * Re-expresses a canonical reading in the unit a quirky device reports, rounded to the
 * 0.1 resolution such devices display. The factors are the pipeline's own (@rpm/vitals),
 * so normalising back lands within half a display step of the simulated value.
 */
export function inDeviceUnit(reading: DeviceReading, quirk: UnitQuirk | null): DeviceReading {
  if (!quirk) return reading;
  switch (reading.type) {
    case 'blood_pressure':
      return quirk === 'kPa'
        ? { ...reading, systolic: round1(reading.systolic / MMHG_PER_KPA), diastolic: round1(reading.diastolic / MMHG_PER_KPA), unit: 'kPa' }
        : reading;
    case 'body_weight':
      return quirk === 'lb' ? { ...reading, value: round1(reading.value / KG_PER_LB), unit: 'lb' } : reading;
    case 'glucose':
      return quirk === 'mmol/L' ? { ...reading, value: round1(reading.value / MGDL_PER_MMOLL), unit: 'mmol/L' } : reading;
    case 'body_temperature':
      return quirk === 'degF' ? { ...reading, value: round1((reading.value * 9) / 5 + 32), unit: 'degF' } : reading;
    case 'heart_rate':
    case 'spo2':
    case 'respiratory_rate':
    case 'consciousness':
    case 'supplemental_oxygen':
      return reading;
  }
}

/** The unit quirk that makes sense for a device kind, if any. */
export function unitQuirkForKind(kind: string): UnitQuirk | null {
  switch (kind) {
    case 'bp_cuff':
      return 'kPa';
    case 'scale':
      return 'lb';
    case 'glucometer':
      return 'mmol/L';
    case 'thermometer':
      return 'degF';
    default:
      return null;
  }
}
