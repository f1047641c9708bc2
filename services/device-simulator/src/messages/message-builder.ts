import type { DeviceReading } from '@rpm/contracts';
import { SFLOAT_NAN } from '@rpm/vitals';
import type { SimDevice, SimPatient } from '../fleet/fleet-model';
import { episodeEffect } from '../physiology/deterioration';
import * as vitals from '../physiology/vitals-model';
import { forkRng } from '../random/rng';
import type { ScheduledReading } from '../schedule/daily-schedule';
import { formatRfc3339InZone, formatRfc3339Utc, zoneOffsetMinutes } from '../schedule/local-time';
import { inDeviceUnit } from './device-units';

/** The JSON a device publishes (device contract v1), with readings typed. */
export interface DeviceMessage {
  readonly messageId: string;
  readonly measuredAt: string;
  readonly readings: DeviceReading[];
}

/**
 * Deterministic, unique per device and instant, free of patient data. Devices number their
 * records (GATT sequence numbers); this plays that role and survives a resend unchanged.
 */
export function messageIdFor(deviceId: string, measuredAtMs: number, suffix = ''): string {
  return `${deviceId}.${measuredAtMs.toString(36)}${suffix}`;
}

export function measuredAtText(patient: SimPatient, device: SimDevice, epochMs: number): string {
  return device.reportsUtc ? formatRfc3339Utc(epochMs) : formatRfc3339InZone(epochMs, patient.timezone);
}

function localHour(timezone: string, epochMs: number): number {
  const localMs = epochMs + zoneOffsetMinutes(timezone, epochMs) * 60_000;
  return (((localMs / 3_600_000) % 24) + 24) % 24;
}

/** Canonical readings for one scheduled measurement, before unit quirks. */
export function canonicalReadings(patient: SimPatient, reading: ScheduledReading, seed: number): DeviceReading[] {
  const ctx: vitals.MeasureContext = {
    baseline: patient.baseline,
    effect: episodeEffect(patient.episode, reading.measuredAtMs),
    localHour: localHour(patient.timezone, reading.measuredAtMs),
    rng: forkRng(seed, 'vitals', reading.deviceKey, reading.measuredAtMs),
  };
  switch (reading.kind) {
    case 'bp_cuff': {
      const sessionNoise = forkRng(seed, 'session', reading.sessionId).normal(0, 5);
      const bp = vitals.measureBloodPressure(ctx, sessionNoise, reading.readingIndex);
      return [
        { type: 'blood_pressure', ...bp, unit: 'mmHg' },
        { type: 'heart_rate', value: vitals.measureHeartRate(ctx), unit: '/min' },
      ];
    }
    case 'scale':
      return [{ type: 'body_weight', value: vitals.measureWeightKg(ctx), unit: 'kg' }];
    case 'pulse_oximeter':
      return [
        { type: 'spo2', value: vitals.measureSpo2(ctx), unit: '%' },
        { type: 'heart_rate', value: vitals.measureHeartRate(ctx), unit: '/min' },
      ];
    case 'glucometer':
      return [{ type: 'glucose', value: vitals.measureGlucose(ctx, reading.glucoseSlot ?? 'fasting'), unit: 'mg/dL' }];
    case 'thermometer':
      return [{ type: 'body_temperature', value: vitals.measureTemperature(ctx), unit: 'Cel' }];
    case 'hub':
      return [{ type: 'respiratory_rate', value: vitals.measureRespiratoryRate(ctx), unit: '/min' }];
  }
}

export function buildMessage(patient: SimPatient, device: SimDevice, reading: ScheduledReading, seed: number): DeviceMessage {
  return {
    messageId: messageIdFor(device.deviceId, reading.measuredAtMs),
    measuredAt: measuredAtText(patient, device, reading.measuredAtMs),
    readings: canonicalReadings(patient, reading, seed).map((r) => inDeviceUnit(r, device.unitQuirk)),
  };
}

/**
 * A failed cuff measurement as BLE cuffs report it: SFLOAT NaN (2047) in every field and
 * no error bit (BPFL-80). The pipeline must reject it as implausible, not alert on it.
 */
export function errorFrameMessage(patient: SimPatient, device: SimDevice, atMs: number): DeviceMessage {
  return {
    messageId: messageIdFor(device.deviceId, atMs, '.err'),
    measuredAt: measuredAtText(patient, device, atMs),
    readings: [
      { type: 'blood_pressure', systolic: SFLOAT_NAN, diastolic: SFLOAT_NAN, unit: device.unitQuirk === 'kPa' ? 'kPa' : 'mmHg' },
      { type: 'heart_rate', value: SFLOAT_NAN, unit: '/min' },
    ],
  };
}
