import { createHash } from 'node:crypto';
import { DeadLetterV1, DeviceMessageV1, MAX_DEAD_LETTER_PAYLOAD_BYTES, MAX_DEVICE_PAYLOAD_BYTES, MAX_FUTURE_SKEW_MS, ObservationV1 } from '@rpm/contracts';
import { EARLIEST_PLAUSIBLE_MEASUREMENT_MS, LOCAL_CODES, LOINC, PLAUSIBLE, type DeviceMessage, type IngestOutcome, type PlausibleRange } from '@rpm/vitals';

/** The canonical range of each component code (the coded answers: their ordinals). */
const RANGE_OF_CODE: Readonly<Record<string, PlausibleRange>> = {
  [LOINC.systolic]: PLAUSIBLE.systolic,
  [LOINC.diastolic]: PLAUSIBLE.diastolic,
  [LOINC.heartRate]: PLAUSIBLE.heartRate,
  [LOINC.spo2]: PLAUSIBLE.spo2,
  [LOINC.bodyWeight]: PLAUSIBLE.bodyWeight,
  [LOINC.glucose]: PLAUSIBLE.glucose,
  [LOINC.bodyTemperature]: PLAUSIBLE.bodyTemperature,
  [LOINC.respiratoryRate]: PLAUSIBLE.respiratoryRate,
  [LOINC.oxygenFlow]: PLAUSIBLE.oxygenFlow,
  [LOINC.consciousness]: { min: 0, max: 4, unit: '{ACVPU}' },
  [LOCAL_CODES.supplementalOxygen]: { min: 0, max: 1, unit: '{yes/no}' },
};

/** How one message ended: every reading stored, every reading refused, or some of each. */
export type MessageFate = 'stored' | 'dead-lettered' | 'partly stored';

export interface Accounting {
  readonly fate: MessageFate;
  /** The readings the envelope carried; 0 when it could not be read. */
  readonly readings: number;
  /** Broken invariants, in words; empty when the outcome accounts for the message. */
  readonly violations: string[];
}

/** The readings array of the message when its envelope is valid (what must be accounted for one by one). */
function readingsOf(payload: Buffer): unknown[] | null {
  if (payload.length > MAX_DEVICE_PAYLOAD_BYTES) return null;
  try {
    const envelope = DeviceMessageV1.safeParse(JSON.parse(payload.toString('utf8')));
    return envelope.success ? envelope.data.readings : null;
  } catch {
    return null;
  }
}

/**
 * Checks an ingest outcome against the message it came from: each reading of a readable message
 * is in exactly one of observations / dead letters, any other message is one dead letter; every
 * record is contract-valid, every stored value plausible, every dead letter carries the payload.
 */
export function accountForMessage(message: DeviceMessage, outcome: IngestOutcome): Accounting {
  const violations: string[] = [];
  const readings = readingsOf(message.payload);
  const { observations, deadLetters } = outcome;
  const sha256 = createHash('sha256').update(message.payload).digest('hex');

  for (const d of deadLetters) {
    const parsed = DeadLetterV1.safeParse(d);
    if (!parsed.success) violations.push(`dead letter not contract-valid: ${parsed.error.message}`);
    if (d.rawPayloadBytes !== message.payload.length || d.rawPayloadSha256 !== sha256) violations.push('dead letter does not describe the payload');
    const kept = Buffer.from(d.rawPayloadBase64, 'base64');
    if (!kept.equals(message.payload.subarray(0, MAX_DEAD_LETTER_PAYLOAD_BYTES))) violations.push('dead letter does not keep the payload (cut at 32 KiB)');
    if (d.detail.length === 0) violations.push(`dead letter ${d.reason} without a detail`);
  }
  const seen = new Set<string>();
  for (const o of observations) {
    const parsed = ObservationV1.safeParse(o);
    if (!parsed.success) violations.push(`observation not contract-valid: ${parsed.error.message}`);
    if (seen.has(o.observationId)) violations.push(`observation ${o.observationId} twice`);
    // PostgreSQL stores an unpaired surrogate as U+FFFD: two such ids would become one natural key.
    if (/\p{Cs}/u.test(o.messageId)) violations.push(`observation ${JSON.stringify(o.messageId)}: messageId not storable as text`);
    seen.add(o.observationId);
    const measuredMs = Date.parse(o.measuredAt);
    if (!(measuredMs >= EARLIEST_PLAUSIBLE_MEASUREMENT_MS && measuredMs - message.receivedAt.getTime() <= MAX_FUTURE_SKEW_MS)) {
      violations.push(`observation measured at ${o.measuredAt}, outside the accepted window`);
    }
    for (const c of o.components) {
      const range = RANGE_OF_CODE[c.code];
      if (!range) violations.push(`component code ${c.code} unknown`);
      else if (!(Number.isFinite(c.value) && c.value >= range.min && c.value <= range.max)) violations.push(`${c.code} = ${c.value} stored, outside ${range.min}-${range.max}`);
      if (c.originalValue === 2047) violations.push(`${c.code}: an error frame (2047) stored`);
    }
  }

  if (readings === null || deadLetters.some((d) => d.readingIndex === null)) {
    // Unreadable, or refused as a whole: one dead letter, nothing stored.
    if (deadLetters.length !== 1 || observations.length !== 0 || deadLetters[0]?.readingIndex !== null) {
      violations.push(`a message refused as a whole gave ${observations.length} observations and ${deadLetters.length} dead letters`);
    }
    if (readings === null && deadLetters[0]?.messageId !== null) violations.push('an unreadable envelope has a messageId in its dead letter');
    return { fate: 'dead-lettered', readings: readings?.length ?? 0, violations };
  }
  const indexes = deadLetters.map((d) => d.readingIndex);
  if (new Set(indexes).size !== indexes.length) violations.push('a reading dead-lettered twice');
  if (indexes.some((i) => i === null || i < 0 || i >= readings.length)) violations.push('a dead letter points at no reading');
  if (observations.length + deadLetters.length !== readings.length) {
    violations.push(`${readings.length} readings, ${observations.length} observations + ${deadLetters.length} dead letters`);
  }
  const fate: MessageFate = deadLetters.length === 0 ? 'stored' : observations.length === 0 ? 'dead-lettered' : 'partly stored';
  return { fate, readings: readings.length, violations };
}

/** Counts per label, for the "how many inputs were tried" line of a fuzz suite. */
export class FuzzTally {
  private readonly counts = new Map<string, number>();

  add(label: string, by = 1): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + by);
  }

  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  /** "title: 1234 inputs (a 10, b 20, ...)", labels sorted. */
  summary(title: string, unit = 'inputs'): string {
    const parts = [...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`);
    return `${title}: ${this.total} ${unit} (${parts.join(', ')})`;
  }
}
