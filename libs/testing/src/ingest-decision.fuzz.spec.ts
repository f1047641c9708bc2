import fc from 'fast-check';
import { DLQ_REASONS, MAX_DEAD_LETTER_PAYLOAD_BYTES, MAX_DEVICE_PAYLOAD_BYTES, MAX_FUTURE_SKEW_MS } from '@rpm/contracts';
import { EARLIEST_PLAUSIBLE_MEASUREMENT_MS, ingestDeviceMessage, type BindingLookup, type BindingVerdict, type DeviceMessage } from '@rpm/vitals';
import { EDGE_MEASURED_AT, fuzzPayload, hostileString, rfc3339, toSize, validEnvelope, validFixturePayloads, type FuzzPayload } from './device-payload-fuzz';
import { accountForMessage, FuzzTally } from './ingest-accounting';

/**
 * Issue 8, section 4: the pure ingest decision (libs/vitals ingestDeviceMessage) under fuzz. Whatever
 * arrives on a device topic, it never throws, and every reading of a readable message ends up in
 * exactly one of observations / dead letters; everything else is one dead letter with its reason.
 * Seeded, so a failure replays; fast-check prints the seed and the shrunk input.
 */
const SEED = 20_261_127;
const DEVICE = 'cuff-fuzz-01';
const TOPIC = `rpm/devices/${DEVICE}/readings`;
const PATIENT = '3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f';
const RECEIVED_AT = new Date('2026-03-02T13:15:05.000Z');
const DAY_MS = 86_400_000;

const tally = new FuzzTally();
const outcomes = new FuzzTally();
const BOUND: BindingLookup = () => ({ kind: 'bound', patientId: PATIENT });
const bindingArb = fc.constantFrom<BindingVerdict>({ kind: 'bound', patientId: PATIENT }, { kind: 'bound', patientId: PATIENT }, { kind: 'unbound' }, { kind: 'outside_binding' });

const message = (payload: Buffer, receivedAt = RECEIVED_AT): DeviceMessage => ({ mqttTopic: TOPIC, payload, receivedAt });

/** Ingests and checks the accounting; returns the outcome for further checks. */
function ingestAccounted(input: FuzzPayload, binding: BindingLookup = BOUND, receivedAt = RECEIVED_AT) {
  const msg = message(input.payload, receivedAt);
  const outcome = ingestDeviceMessage(msg, binding);
  const accounting = accountForMessage(msg, outcome);
  tally.add(input.family);
  outcomes.add(accounting.fate === 'dead-lettered' ? `dead-lettered (${[...new Set(outcome.deadLetters.map((d) => d.reason))].join('+')})` : accounting.fate);
  expect(accounting.violations).toEqual([]);
  for (const d of outcome.deadLetters) expect(DLQ_REASONS).toContain(d.reason);
  expect(outcome.deviceId).toBe(DEVICE);
  return { outcome, accounting };
}

afterAll(() => {
  // The brief asks how many inputs were tried: one line, per family.
  console.log(`${tally.summary('ingestDeviceMessage fuzz')}\n${outcomes.summary('outcomes', 'messages')}`);
});

describe('ingestDeviceMessage under fuzz: never throws, every message accounted for', () => {
  it('any payload family (valid, mutated, truncated, random bytes, 2047 frames, edge timestamps, size limit) with any binding', () => {
    fc.assert(
      fc.property(fuzzPayload(RECEIVED_AT.getTime() - DAY_MS), bindingArb, (input, verdict) => {
        ingestAccounted(input, () => verdict);
      }),
      { seed: SEED, numRuns: 6_000 },
    );
  });

  it('a valid generated message is stored whole: every reading an observation of that patient, nothing dead-lettered', () => {
    const measuredAgo = fc.integer({ min: 0, max: 3650 * DAY_MS });
    fc.assert(
      fc.property(measuredAgo.chain((ago) => validEnvelope(RECEIVED_AT.getTime() - ago)), (envelope) => {
        const { outcome } = ingestAccounted({ family: 'valid (oracle)', payload: Buffer.from(JSON.stringify(envelope)) });
        expect(outcome.deadLetters).toEqual([]);
        expect(outcome.observations.map((o) => o.type)).toEqual((envelope['readings'] as { type: string }[]).map((r) => r.type));
        expect(new Set(outcome.observations.map((o) => o.patientId))).toEqual(new Set([PATIENT]));
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });

  it('truncated at every byte, each valid fixture is invalid JSON until its closing brace, and never half stored', () => {
    for (const { name, payload } of validFixturePayloads()) {
      const complete = Buffer.byteLength(payload.toString('utf8').trimEnd());
      for (let length = 0; length <= payload.length; length += 1) {
        const { outcome, accounting } = ingestAccounted({ family: 'truncated at every byte', payload: payload.subarray(0, length) });
        if (length < complete) {
          expect([name, length, outcome.deadLetters.map((d) => d.reason)]).toEqual([name, length, ['invalid_json']]);
        } else {
          expect([name, length, accounting.fate]).toEqual([name, length, 'stored']);
        }
      }
    }
  });

  it('measuredAt anywhere from year 0 to 9999: clock_skew exactly when before 2000 or more than 10 minutes ahead of receipt', () => {
    const instant = fc.oneof(
      fc.integer({ min: -MAX_FUTURE_SKEW_MS * 3, max: MAX_FUTURE_SKEW_MS * 3 }).map((d) => RECEIVED_AT.getTime() + d),
      fc.integer({ min: -30, max: 30 }).map((d) => EARLIEST_PLAUSIBLE_MEASUREMENT_MS + d * 1000),
      // Years 0000 to 9999 in any offset (a day inside, so no offset spells a year outside RFC 3339).
      fc.integer({ min: Date.parse('0000-01-02T00:00:00Z'), max: Date.parse('9999-12-30T00:00:00Z') }),
      fc.constantFrom(0, Date.UTC(2100, 0, 1), Date.UTC(1970, 0, 1) - 1000),
    );
    fc.assert(
      fc.property(instant, fc.integer({ min: -1439, max: 1439 }), fc.integer({ min: 0, max: 3 }), (instantMs, offset, digits) => {
        const atMs = Math.floor(instantMs / 1000) * 1000;
        const measuredAt = rfc3339(atMs, offset, digits);
        const payload = Buffer.from(JSON.stringify({ messageId: 'm-1', measuredAt, readings: [{ type: 'heart_rate', value: 70, unit: '/min' }] }));
        const { outcome } = ingestAccounted({ family: 'measuredAt 0000-9999', payload });
        const skewed = atMs < EARLIEST_PLAUSIBLE_MEASUREMENT_MS || atMs - RECEIVED_AT.getTime() > MAX_FUTURE_SKEW_MS;
        expect([measuredAt, outcome.deadLetters.map((d) => d.reason)]).toEqual([measuredAt, skewed ? ['clock_skew'] : []]);
        if (!skewed) expect(outcome.observations[0]?.measuredAt).toBe(new Date(atMs).toISOString());
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it.each(EDGE_MEASURED_AT.map((at) => [at]))('measuredAt %s is refused as a whole, never stored', (measuredAt) => {
    const payload = Buffer.from(JSON.stringify({ messageId: 'm-edge', measuredAt, readings: [{ type: 'spo2', value: 97, unit: '%' }] }));
    const { outcome } = ingestAccounted({ family: 'measuredAt edges', payload });
    expect(outcome.observations).toEqual([]);
    expect(['schema', 'clock_skew']).toContain(outcome.deadLetters[0]?.reason);
  });

  it('any messageId (NUL, lone surrogates, emoji, huge): refused as a whole, or stored under an id PostgreSQL keeps as sent', () => {
    const messageId = fc.oneof(hostileString, fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }));
    fc.assert(
      fc.property(validEnvelope(RECEIVED_AT.getTime() - DAY_MS), messageId, (envelope, id) => {
        const { outcome } = ingestAccounted({ family: 'hostile messageId', payload: Buffer.from(JSON.stringify({ ...envelope, messageId: id })) });
        if (outcome.observations.length === 0) expect([['schema'], ['too_large']]).toContainEqual(outcome.deadLetters.map((d) => d.reason));
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });

  it('an error frame (2047 as sent in any numeric field) is never stored, whatever its type and unit', () => {
    const frame = fc
      .tuple(validEnvelope(RECEIVED_AT.getTime() - DAY_MS), fc.nat())
      .map(([envelope, pick]) => {
        const readings = envelope['readings'] as Record<string, unknown>[];
        const reading = readings[pick % readings.length]!;
        const numeric = Object.keys(reading).filter((k) => typeof reading[k] === 'number');
        const field = numeric[pick % Math.max(1, numeric.length)];
        if (field !== undefined) reading[field] = 2047;
        return { envelope, index: field === undefined ? -1 : pick % readings.length };
      })
      .filter(({ index }) => index >= 0);
    fc.assert(
      fc.property(frame, ({ envelope, index }) => {
        const { outcome } = ingestAccounted({ family: '2047 error frame', payload: Buffer.from(JSON.stringify(envelope)) });
        expect(outcome.deadLetters.map((d) => [d.reason, d.readingIndex])).toEqual([['implausible', index]]);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('around the 16 KiB limit: too_large exactly above it, the payload kept for replay up to 32 KiB', () => {
    const base = JSON.parse(validFixturePayloads()[0]!.payload.toString('utf8')) as Record<string, never>;
    const sizes = fc.oneof(fc.integer({ min: MAX_DEVICE_PAYLOAD_BYTES - 8, max: MAX_DEVICE_PAYLOAD_BYTES + 8 }), fc.integer({ min: 1_000, max: 200_000 }));
    fc.assert(
      fc.property(sizes, (bytes) => {
        const payload = Buffer.from(toSize(base, bytes));
        const { outcome, accounting } = ingestAccounted({ family: 'size limit', payload });
        if (payload.length > MAX_DEVICE_PAYLOAD_BYTES) {
          expect(outcome.deadLetters.map((d) => d.reason)).toEqual(['too_large']);
          expect(Buffer.from(outcome.deadLetters[0]!.rawPayloadBase64, 'base64').length).toBe(Math.min(payload.length, MAX_DEAD_LETTER_PAYLOAD_BYTES));
        } else {
          expect(accounting.fate).toBe('stored');
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a 64 MiB payload (far above any sane broker limit) is refused in one dead letter without decoding it', () => {
    const payload = Buffer.alloc(64 * 1024 * 1024, 0x7b);
    const started = Date.now();
    const { outcome } = ingestAccounted({ family: 'size limit', payload });
    expect(outcome.deadLetters.map((d) => [d.reason, d.rawPayloadBytes])).toEqual([['too_large', payload.length]]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('any receipt time: a message received before it was measured (device clock ahead) follows the same rules', () => {
    fc.assert(
      fc.property(fuzzPayload(RECEIVED_AT.getTime()), fc.integer({ min: -DAY_MS, max: DAY_MS }), (input, shift) => {
        ingestAccounted({ family: `shifted receipt:${input.family.split(':')[0]}`, payload: input.payload }, BOUND, new Date(RECEIVED_AT.getTime() + shift));
      }),
      { seed: SEED + 1, numRuns: 1_000 },
    );
  });
});
