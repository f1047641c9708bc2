import { z } from 'zod';

/**
 * Device contract v1 (docs/device-contract.md): what a home device publishes on
 * rpm/devices/{deviceId}/readings, QoS 1, as JSON of at most 16 KiB.
 */
export const DEVICE_TOPIC_PREFIX = 'rpm/devices/';
export const DEVICE_TOPIC_SUFFIX = '/readings';
export const MAX_DEVICE_PAYLOAD_BYTES = 16 * 1024;
/** A reading measured further ahead of its arrival than this is rejected as clock_skew. */
export const MAX_FUTURE_SKEW_MS = 10 * 60 * 1000;

export function deviceReadingsTopic(deviceId: string): string {
  return `${DEVICE_TOPIC_PREFIX}${deviceId}${DEVICE_TOPIC_SUFFIX}`;
}

/** The deviceId of a readings topic, or null when the topic is not one. */
export function deviceIdFromTopic(topic: string): string | null {
  if (!topic.startsWith(DEVICE_TOPIC_PREFIX) || !topic.endsWith(DEVICE_TOPIC_SUFFIX)) return null;
  const id = topic.slice(DEVICE_TOPIC_PREFIX.length, topic.length - DEVICE_TOPIC_SUFFIX.length);
  return DeviceId.safeParse(id).success ? id : null;
}

export const RESERVED_CLIENT_PREFIX = 'rpm-';

/** Device ids double as MQTT usernames and topic levels: no wildcards, no slashes. */
export const DeviceId = z
  .string()
  .min(3)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only, starting with a letter or digit')
  // The platform's own broker clients (rpm-admin, rpm-ingest, ...) live under this prefix.
  .refine((id) => !id.toLowerCase().startsWith(RESERVED_CLIENT_PREFIX), `must not start with "${RESERVED_CLIENT_PREFIX}" (reserved for the platform)`);

const value = z.number().refine(Number.isFinite, 'must be a finite number');

export const BloodPressureReading = z.object({
  type: z.literal('blood_pressure'),
  systolic: value,
  diastolic: value,
  unit: z.enum(['mmHg', 'kPa']),
});
export const HeartRateReading = z.object({ type: z.literal('heart_rate'), value, unit: z.literal('/min') });
export const Spo2Reading = z.object({ type: z.literal('spo2'), value, unit: z.literal('%') });
export const BodyWeightReading = z.object({ type: z.literal('body_weight'), value, unit: z.enum(['kg', 'lb']) });
export const GlucoseReading = z.object({ type: z.literal('glucose'), value, unit: z.enum(['mg/dL', 'mmol/L']) });
export const BodyTemperatureReading = z.object({
  type: z.literal('body_temperature'),
  value,
  unit: z.enum(['Cel', 'degF']),
});
export const RespiratoryRateReading = z.object({ type: z.literal('respiratory_rate'), value, unit: z.literal('/min') });

/** ACVPU, as NEWS2 scores it: anything but "alert" is new confusion or worse (CLINICAL.md 3.1). */
export const ACVPU_LEVELS = ['alert', 'confusion', 'voice', 'pain', 'unresponsive'] as const;
export const AcvpuLevel = z.enum(ACVPU_LEVELS);
export type AcvpuLevel = z.infer<typeof AcvpuLevel>;

/**
 * The two NEWS2 inputs a home set cannot measure, reported by the patient or a caregiver
 * through the hub app (device contract v1, backward compatible: older devices never send them).
 */
export const ConsciousnessReading = z.object({ type: z.literal('consciousness'), value: AcvpuLevel });
export const SupplementalOxygenReading = z.object({
  type: z.literal('supplemental_oxygen'),
  value: z.boolean(),
  /** Flow in L/min, when the patient knows it; only meaningful with value true. */
  flow: value.optional(),
});

export const DeviceReading = z.discriminatedUnion('type', [
  BloodPressureReading,
  HeartRateReading,
  Spo2Reading,
  BodyWeightReading,
  GlucoseReading,
  BodyTemperatureReading,
  RespiratoryRateReading,
  ConsciousnessReading,
  SupplementalOxygenReading,
]);
export type DeviceReading = z.infer<typeof DeviceReading>;
export type ReadingType = DeviceReading['type'];
export const READING_TYPES = DeviceReading.options.map((o) => o.shape.type.value) as ReadingType[];

/** Reading types that carry a measured quantity with a unit (the reported answers carry none). */
export type MeasuredReadingType = Extract<DeviceReading, { unit: unknown }>['type'];

/** The device unit of each measured type that needs no conversion (its canonical UCUM counterpart). */
export const CANONICAL_DEVICE_UNIT = {
  blood_pressure: 'mmHg',
  heart_rate: '/min',
  spo2: '%',
  body_weight: 'kg',
  glucose: 'mg/dL',
  body_temperature: 'Cel',
  respiratory_rate: '/min',
} as const satisfies Record<MeasuredReadingType, string>;

/**
 * The message envelope. Readings are validated one by one (DeviceReading) so that
 * one bad reading is dead-lettered alone while its siblings flow on.
 */
export const DeviceMessageV1 = z.object({
  // Printable text only: a control character (NUL) cannot be stored by PostgreSQL.
  messageId: z
    .string()
    .min(1)
    .max(128)
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
    // A lone surrogate ("\ud800", only possible as a JSON escape) is no text: PostgreSQL's UTF-8 stores it as U+FFFD,
    // so two distinct ids ("\ud800", "\ud801") would share one natural key and the second be dropped as a resend.
    .refine((id) => !/\p{Cs}/u.test(id), 'must not contain unpaired surrogates'),
  measuredAt: z.iso.datetime({ offset: true }),
  readings: z.array(z.unknown()).min(1).max(32),
  /**
   * v1.1 (optional; v1 devices send none): the device's own state when it sent the message. Read
   * leniently: a value out of range (255 is many BLE devices' "unknown battery") is dropped, never
   * the readings with it.
   */
  device: z
    .object({
      batteryPercent: z.number().min(0).max(100).optional().catch(undefined),
      /** Received signal strength (BLE or cellular), dBm. */
      signalDbm: z.number().min(-150).max(0).optional().catch(undefined),
      firmware: z.string().min(1).max(64).regex(/^[\x20-\x7e]+$/, 'printable ASCII').optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});
export type DeviceMessageV1 = z.infer<typeof DeviceMessageV1>;

/**
 * rpm.devices.status.v1 (compacted, key deviceId): what the ingest gateway last heard from a
 * device, written at most once a minute per device unless its state changed.
 */
export const DeviceStatusV1 = z.object({
  schema: z.literal('rpm.device-status.v1'),
  deviceId: z.string(),
  lastSeenAt: z.iso.datetime(),
  /** The message's measuredAt minus its arrival, ms: a device clock far off shows here. */
  clockOffsetMs: z.number().int(),
  batteryPercent: z.number().nullable(),
  signalDbm: z.number().nullable(),
  firmware: z.string().nullable(),
});
export type DeviceStatusV1 = z.infer<typeof DeviceStatusV1>;
