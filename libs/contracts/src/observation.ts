import { z } from 'zod';
import { DeviceReading } from './device-payload';

const readingType = z.enum(DeviceReading.options.map((o) => o.shape.type.value) as [string, ...string[]]);

/** One measured quantity in canonical UCUM units, with what the device actually sent. */
export const ObservationComponent = z.object({
  code: z.string(), // LOINC
  value: z.number(),
  unit: z.string(), // canonical UCUM
  originalValue: z.number(),
  originalUnit: z.string(),
  /** A coded answer (consciousness "confusion"); `value` then holds its ordinal. */
  valueCode: z.string().optional(),
});
export type ObservationComponent = z.infer<typeof ObservationComponent>;

/**
 * rpm.observations.v1: one reading of one device message, normalised, bound to a patient.
 * Blood pressure carries two components (systolic, diastolic) under the panel code.
 */
export const ObservationV1 = z.object({
  schema: z.literal('rpm.observation.v1'),
  observationId: z.string(), // `${deviceId}/${messageId}/${type}`: stable across resends
  patientId: z.string().uuid(),
  deviceId: z.string(),
  messageId: z.string(),
  type: readingType,
  code: z.string(),
  measuredAt: z.iso.datetime(), // UTC
  measuredAtOffset: z.string(), // the device's offset, e.g. "-05:00"
  receivedAt: z.iso.datetime(),
  components: z.array(ObservationComponent).min(1),
});
export type ObservationV1 = z.infer<typeof ObservationV1>;
