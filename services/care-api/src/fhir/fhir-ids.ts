import { createHash } from 'node:crypto';

/** FHIR R4's id datatype. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const SECOND_MS = 1000;

/**
 * An Observation's id: `{patientId}.{measuredAt in whole seconds, base 36}.{16 hex of sha-256 of the
 * natural key}` (at most 63 characters). The natural key `{deviceId}/{messageId}/{readingType}` (the
 * pipeline's observationId) makes it stable across resends and replays; the patient and the second
 * make a read by id one bounded query to the vitals store, authorised by the patient before any data
 * is fetched. Seconds, not milliseconds: evidence the rules engine kept in its state has its time in
 * whole seconds, and must name the same Observation.
 */
export function observationFhirId(patientId: string, measuredAt: string, pipelineObservationId: string): string {
  const second = Math.floor(Date.parse(measuredAt) / SECOND_MS);
  return `${patientId.toLowerCase()}.${second.toString(36)}.${sha256Hex(pipelineObservationId).slice(0, 16)}`;
}

export interface ObservationIdParts {
  readonly patientId: string;
  /** The second the reading was measured in: [from, from + 1 s). */
  readonly measuredFrom: Date;
}

/** The patient and measurement time an Observation id names; null for anything this server never issued. */
export function parseObservationFhirId(id: string): ObservationIdParts | null {
  const match = /^([0-9a-f-]{36})\.([0-9a-z]{1,9})\.([0-9a-f]{16})$/.exec(id);
  if (!match || !isUuid(match[1]!)) return null;
  const ms = parseInt(match[2]!, 36) * SECOND_MS;
  return Number.isSafeInteger(ms) ? { patientId: match[1]!, measuredFrom: new Date(ms) } : null;
}

const DEVICE_HASH_PREFIX = 'sha-';

/**
 * A Device's id: the deviceId itself when FHIR allows it, else `sha-` and 40 hex of its sha-256
 * (device ids may hold `_` and `:`, which FHIR ids may not).
 */
export function deviceFhirId(deviceId: string): string {
  return FHIR_ID.test(deviceId) ? deviceId : `${DEVICE_HASH_PREFIX}${sha256Hex(deviceId).slice(0, 40)}`;
}

/** How to find a device by its FHIR id: the hash when it is one, else the deviceId itself. */
export function deviceLookupOf(fhirId: string): { readonly deviceId: string } | { readonly sha256Prefix: string } {
  return fhirId.startsWith(DEVICE_HASH_PREFIX) && /^[0-9a-f]{40}$/.test(fhirId.slice(DEVICE_HASH_PREFIX.length))
    ? { sha256Prefix: fhirId.slice(DEVICE_HASH_PREFIX.length) }
    : { deviceId: fhirId };
}

/** "Patient/{id}", or the bare id, as search parameters `patient` and `subject` take it. */
export function patientIdOfReference(value: string): string {
  return value.startsWith('Patient/') ? value.slice('Patient/'.length) : value;
}
