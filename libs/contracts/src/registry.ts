import { z } from 'zod';
import { Program, Spo2Scale } from './programs';

export const DEVICE_KINDS = ['bp_cuff', 'scale', 'pulse_oximeter', 'glucometer', 'thermometer', 'wearable', 'hub'] as const;
export const DeviceKind = z.enum(DEVICE_KINDS);
export type DeviceKind = z.infer<typeof DeviceKind>;

/** rpm.registry.devices.v1 (compacted, key deviceId): which patient a device reports for. */
export const DeviceBindingV1 = z.object({
  schema: z.literal('rpm.device-binding.v1'),
  deviceId: z.string(),
  patientId: z.string().uuid(),
  kind: DeviceKind,
  boundAt: z.iso.datetime(),
});
export type DeviceBindingV1 = z.infer<typeof DeviceBindingV1>;

/** rpm.rules.config.v1 (compacted, key patientId): what the rules engine needs of a patient. */
export const PatientProtocolV1 = z.object({
  schema: z.literal('rpm.patient-protocol.v1'),
  patientId: z.string().uuid(),
  programs: z.array(Program),
  spo2Scale: Spo2Scale,
  timezone: z.string(),
  version: z.number().int().positive(),
  updatedAt: z.iso.datetime(),
});
export type PatientProtocolV1 = z.infer<typeof PatientProtocolV1>;
