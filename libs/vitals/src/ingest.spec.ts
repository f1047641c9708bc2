import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DeadLetterV1, type DlqReason, MAX_DEVICE_PAYLOAD_BYTES, ObservationV1 } from '@rpm/contracts';
import { type BindingLookup, type DeviceMessage, ingestDeviceMessage } from './ingest';

/** Device messages shared with every consumer's tests (STYLE.md: fixtures next to the schema). */
const FIXTURES = join(__dirname, '../../contracts/src/fixtures');
const fixture = (kind: 'valid' | 'invalid', name: string): Buffer => readFileSync(join(FIXTURES, kind, name));
const fixtureNames = (kind: 'valid' | 'invalid'): string[] => readdirSync(join(FIXTURES, kind)).filter((f) => f.endsWith('.json')).sort();

const DEVICE = 'cuff-0001';
const TOPIC = `rpm/devices/${DEVICE}/readings`;
const PATIENT = '3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f';
/** The fixtures are measured at 2026-03-02T08:15:00-05:00 = 13:15:00Z. */
const RECEIVED_AT = new Date('2026-03-02T13:15:05.000Z');
const bound: BindingLookup = (deviceId) => (deviceId === DEVICE ? { kind: 'bound', patientId: PATIENT } : { kind: 'unbound' });

const message = (payload: Buffer | string, overrides: Partial<DeviceMessage> = {}): DeviceMessage => ({
  mqttTopic: TOPIC,
  payload: typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload,
  receivedAt: RECEIVED_AT,
  ...overrides,
});
const json = (body: unknown): string => JSON.stringify(body);
const envelope = (readings: unknown[], measuredAt = '2026-03-02T08:15:00-05:00') =>
  json({ messageId: 'msg-1', measuredAt, readings });

function expectContractValid(outcome: ReturnType<typeof ingestDeviceMessage>): void {
  for (const o of outcome.observations) expect(ObservationV1.parse(o)).toEqual(o);
  for (const d of outcome.deadLetters) expect(DeadLetterV1.parse(d)).toEqual(d);
}

describe('ingestDeviceMessage: valid fixtures', () => {
  it.each(fixtureNames('valid'))('%s: every reading becomes a contract-valid observation', (name) => {
    const payload = fixture('valid', name);
    const outcome = ingestDeviceMessage(message(payload), bound);
    const readings = (JSON.parse(payload.toString('utf8')) as { readings: unknown[] }).readings;
    expect(outcome.deadLetters).toEqual([]);
    expect(outcome.observations).toHaveLength(readings.length);
    expect(outcome.deviceId).toBe(DEVICE);
    expectContractValid(outcome);
  });

  it('bp-mmhg.json: the whole observation', () => {
    const outcome = ingestDeviceMessage(message(fixture('valid', 'bp-mmhg.json')), bound);
    expect(outcome.observations).toEqual([
      {
        schema: 'rpm.observation.v1',
        observationId: `${DEVICE}/msg-bp-0001/blood_pressure`,
        patientId: PATIENT,
        deviceId: DEVICE,
        messageId: 'msg-bp-0001',
        type: 'blood_pressure',
        code: '85354-9',
        measuredAt: '2026-03-02T13:15:00.000Z',
        measuredAtOffset: '-05:00',
        receivedAt: '2026-03-02T13:15:05.000Z',
        components: [
          { code: '8480-6', value: 128, unit: 'mm[Hg]', originalValue: 128, originalUnit: 'mmHg' },
          { code: '8462-4', value: 82, unit: 'mm[Hg]', originalValue: 82, originalUnit: 'mmHg' },
        ],
      },
    ]);
  });

  it('non-canonical-units.json: converted to canonical units, originals kept', () => {
    const outcome = ingestDeviceMessage(message(fixture('valid', 'non-canonical-units.json')), bound);
    const byType = Object.fromEntries(outcome.observations.map((o) => [o.type, o.components[0]]));
    expect(byType['body_weight']).toMatchObject({ unit: 'kg', originalValue: 200, originalUnit: 'lb' });
    expect(byType['body_weight']?.value).toBeCloseTo(90.718474, 6);
    expect(byType['glucose']).toMatchObject({ unit: 'mg/dL', originalValue: 3.0, originalUnit: 'mmol/L' });
    expect(byType['glucose']?.value).toBeCloseTo(54.048, 6);
    expect(byType['body_temperature']).toMatchObject({ value: 38, unit: 'Cel', originalValue: 100.4, originalUnit: 'degF' });
  });

  it('the observation id is stable across resends of the same message', () => {
    const first = ingestDeviceMessage(message(fixture('valid', 'bp-kpa-with-pulse-and-spo2.json')), bound);
    const resend = ingestDeviceMessage(
      message(fixture('valid', 'bp-kpa-with-pulse-and-spo2.json'), { receivedAt: new Date('2026-03-02T14:00:00Z') }),
      bound,
    );
    expect(resend.observations.map((o) => o.observationId)).toEqual(first.observations.map((o) => o.observationId));
    expect(first.observations.map((o) => o.observationId)).toEqual([
      `${DEVICE}/msg-multi-0002/blood_pressure`,
      `${DEVICE}/msg-multi-0002/heart_rate`,
      `${DEVICE}/msg-multi-0002/spo2`,
    ]);
  });
});

describe('ingestDeviceMessage: offsets', () => {
  it.each<[string, string, string]>([
    ['2026-03-02T08:15:00-05:00', '2026-03-02T13:15:00.000Z', '-05:00'],
    ['2026-03-02T18:45:00+05:30', '2026-03-02T13:15:00.000Z', '+05:30'],
    ['2026-03-02T13:15:00Z', '2026-03-02T13:15:00.000Z', '+00:00'],
    ['2026-03-02T13:15:00.250Z', '2026-03-02T13:15:00.250Z', '+00:00'],
    ['2026-03-02T13:15:00+00:00', '2026-03-02T13:15:00.000Z', '+00:00'],
    ['2026-03-03T00:15:00+11:00', '2026-03-02T13:15:00.000Z', '+11:00'],
  ])('%s -> measuredAt %s, offset %s', (measuredAt, utc, offset) => {
    const outcome = ingestDeviceMessage(message(envelope([{ type: 'spo2', value: 97, unit: '%' }], measuredAt)), bound);
    expect(outcome.observations[0]).toMatchObject({ measuredAt: utc, measuredAtOffset: offset });
  });

  it('keeps the offset of the positive-half-hour fixture', () => {
    const outcome = ingestDeviceMessage(message(fixture('valid', 'positive-half-hour-offset.json')), bound);
    expect(outcome.observations[0]).toMatchObject({ measuredAt: '2026-03-02T13:15:00.000Z', measuredAtOffset: '+05:30' });
  });
});

describe('ingestDeviceMessage: dead letters', () => {
  const rejectedWhole = (reason: DlqReason, outcome: ReturnType<typeof ingestDeviceMessage>) => {
    expect(outcome.observations).toEqual([]);
    expect(outcome.deadLetters).toHaveLength(1);
    expect(outcome.deadLetters[0]).toMatchObject({ schema: 'rpm.ingest-dlq.v1', reason, mqttTopic: TOPIC, readingIndex: null });
    expectContractValid(outcome);
  };

  it.each<[string, DlqReason]>([
    ['not-json.json', 'invalid_json'],
    ['envelope-missing-message-id.json', 'schema'],
    ['envelope-empty-readings.json', 'schema'],
    ['envelope-measured-at-without-offset.json', 'schema'],
    ['envelope-not-an-object.json', 'schema'],
  ])('%s -> the whole message is dead-lettered as %s', (name, reason) => {
    const payload = fixture('invalid', name);
    const outcome = ingestDeviceMessage(message(payload), bound);
    rejectedWhole(reason, outcome);
    expect(outcome.deadLetters[0]).toMatchObject({ deviceId: DEVICE, messageId: null, receivedAt: RECEIVED_AT.toISOString() });
    expect(Buffer.from(outcome.deadLetters[0]!.rawPayloadBase64, 'base64').equals(payload)).toBe(true);
  });

  it('names the failing field of a schema error', () => {
    const outcome = ingestDeviceMessage(message(fixture('invalid', 'envelope-missing-message-id.json')), bound);
    expect(outcome.deadLetters[0]?.detail).toMatch(/^messageId: /);
  });

  it.each<[string, Buffer]>([
    ['invalid UTF-8', Buffer.from([0xff, 0xfe, 0x7b])],
    ['an empty payload', Buffer.alloc(0)],
    ['a bare string', Buffer.from('hello')],
  ])('%s -> invalid_json', (_name, payload) => {
    rejectedWhole('invalid_json', ingestDeviceMessage(message(payload), bound));
  });

  it.each(['rpm/devices/cuff-0001/status', 'rpm/devices//readings', 'rpm/devices/a/b/readings', 'other/topic'])(
    'topic %s -> schema, with no device id',
    (mqttTopic) => {
      const outcome = ingestDeviceMessage(message(fixture('valid', 'bp-mmhg.json'), { mqttTopic }), bound);
      expect(outcome.deadLetters[0]).toMatchObject({ reason: 'schema', deviceId: null, mqttTopic });
      expect(outcome.observations).toEqual([]);
    },
  );

  describe('too_large (16 KiB)', () => {
    const padded = (bytes: number): Buffer => {
      const base = envelope([{ type: 'spo2', value: 97, unit: '%' }]);
      return Buffer.from(base + ' '.repeat(bytes - Buffer.byteLength(base)), 'utf8');
    };

    it('accepts exactly 16384 bytes', () => {
      const payload = padded(MAX_DEVICE_PAYLOAD_BYTES);
      expect(payload.length).toBe(16_384);
      expect(ingestDeviceMessage(message(payload), bound).observations).toHaveLength(1);
    });

    it('rejects 16385 bytes before parsing', () => {
      rejectedWhole('too_large', ingestDeviceMessage(message(padded(MAX_DEVICE_PAYLOAD_BYTES + 1)), bound));
    });

    it('keeps at most 32 KiB of a huge payload in its dead letter, with the whole size and hash', () => {
      const payload = padded(200 * 1024);
      const [letter] = ingestDeviceMessage(message(payload), bound).deadLetters;
      expect(Buffer.from(letter!.rawPayloadBase64, 'base64')).toEqual(payload.subarray(0, 32 * 1024));
      expect(letter!.rawPayloadBytes).toBe(200 * 1024);
      expect(letter!.rawPayloadSha256).toBe(createHash('sha256').update(payload).digest('hex'));
    });

    it('counts bytes, not characters', () => {
      const base = envelope([{ type: 'spo2', value: 97, unit: '%' }]);
      const payload = Buffer.from(base + ' '.repeat(16_384 - Buffer.byteLength(base) - 1) + 'é', 'utf8'); // é is 2 bytes
      expect(payload.length).toBe(16_385);
      rejectedWhole('too_large', ingestDeviceMessage(message(payload), bound));
    });
  });

  it('unbound_device: no observations, message id kept', () => {
    const lookups: string[] = [];
    const nobody: BindingLookup = (deviceId) => {
      lookups.push(deviceId);
      return { kind: 'unbound' };
    };
    const outcome = ingestDeviceMessage(message(fixture('valid', 'bp-mmhg.json')), nobody);
    rejectedWhole('unbound_device', outcome);
    expect(outcome.deadLetters[0]?.messageId).toBe('msg-bp-0001');
    expect(lookups).toEqual([DEVICE]);
  });

  it('outside_binding: quarantined with the message id, after the clock checks, looked up at measuredAt', () => {
    const instants: string[] = [];
    const gap: BindingLookup = (_deviceId, measuredAt) => {
      instants.push(measuredAt.toISOString());
      return { kind: 'outside_binding' };
    };
    const outcome = ingestDeviceMessage(message(fixture('valid', 'bp-mmhg.json')), gap);
    rejectedWhole('outside_binding', outcome);
    expect(outcome.deadLetters[0]?.messageId).toBe('msg-bp-0001');
    expect(instants).toEqual([new Date(JSON.parse(fixture('valid', 'bp-mmhg.json').toString('utf8')).measuredAt).toISOString()]);
  });

  describe('clock_skew (measured more than 10 min after arrival)', () => {
    it.each<[string, string, boolean]>([
      ['10 min ahead', '2026-03-02T13:25:05.000Z', true],
      ['10 min + 1 ms ahead', '2026-03-02T13:25:05.001Z', false],
      ['1 h ahead', '2026-03-02T14:15:05.000Z', false],
      ['2 days old (late, not skewed: DQ-02 handles it downstream)', '2026-02-28T13:15:05.000Z', true],
    ])('%s -> accepted %s', (_name, measuredAt, accepted) => {
      const outcome = ingestDeviceMessage(message(envelope([{ type: 'spo2', value: 97, unit: '%' }], measuredAt)), bound);
      if (accepted) {
        expect(outcome.observations).toHaveLength(1);
        expect(outcome.deadLetters).toEqual([]);
      } else {
        rejectedWhole('clock_skew', outcome);
        expect(outcome.deadLetters[0]?.messageId).toBe('msg-1');
      }
    });

    it('compares instants, so a local offset does not count as skew', () => {
      // 18:20+05:00 is 13:20Z: 5 min ahead of arrival.
      const outcome = ingestDeviceMessage(message(envelope([{ type: 'spo2', value: 97, unit: '%' }], '2026-03-02T18:20:00+05:00')), bound);
      expect(outcome.observations).toHaveLength(1);
    });
  });

  describe('one bad reading is dead-lettered alone; its siblings go on', () => {
    it.each<[string, DlqReason, number, string[], RegExp]>([
      ['reading-implausible-spo2.json', 'implausible', 1, ['heart_rate', 'respiratory_rate'], /^readings\.1: SpO2 outside the plausible range/],
      ['reading-unknown-unit.json', 'schema', 1, ['spo2'], /^readings\.1: unit: /],
      ['reading-duplicate-type.json', 'schema', 1, ['heart_rate'], /^readings\.1: second heart_rate in one message$/],
      ['reading-error-frame-2047.json', 'implausible', 0, [], /2047 \(SFLOAT NaN\)/],
    ])('%s -> %s at index %s, accepted %j', (name, reason, index, acceptedTypes, detail) => {
      const outcome = ingestDeviceMessage(message(fixture('invalid', name)), bound);
      expect(outcome.observations.map((o) => o.type)).toEqual(acceptedTypes);
      expect(outcome.deadLetters).toHaveLength(1);
      expect(outcome.deadLetters[0]).toMatchObject({ reason, readingIndex: index, deviceId: DEVICE });
      expect(outcome.deadLetters[0]?.messageId).toMatch(/^msg-bad-/);
      expect(outcome.deadLetters[0]?.detail).toMatch(detail);
      expectContractValid(outcome);
    });

    it('the first of two same-type readings wins', () => {
      const outcome = ingestDeviceMessage(message(fixture('invalid', 'reading-duplicate-type.json')), bound);
      expect(outcome.observations[0]?.components[0]?.value).toBe(72);
    });

    it('every reading ends up in exactly one list', () => {
      const readings = [
        { type: 'heart_rate', value: 72, unit: '/min' },
        { type: 'spo2', value: 101, unit: '%' },
        { type: 'glucose', value: 5.5, unit: 'mmol/L' },
        { type: 'thermometer', value: 37 },
        { type: 'heart_rate', value: 80, unit: '/min' },
        'not an object',
        { type: 'blood_pressure', systolic: 120, diastolic: 120, unit: 'mmHg' },
      ];
      const outcome = ingestDeviceMessage(message(envelope(readings)), bound);
      expect(outcome.observations.map((o) => o.type)).toEqual(['heart_rate', 'glucose']);
      expect(outcome.deadLetters.map((d) => [d.readingIndex, d.reason])).toEqual([
        [1, 'implausible'],
        [3, 'schema'],
        [4, 'schema'],
        [5, 'schema'],
        [6, 'implausible'],
      ]);
      expectContractValid(outcome);
    });
  });
});

describe('ingestDeviceMessage: unset device clocks', () => {
  it('dead-letters a measuredAt before 2000 as clock_skew instead of emitting an invalid observation', () => {
    const payload = Buffer.from(JSON.stringify({ messageId: 'm-old', measuredAt: '0000-01-01T00:30:00+01:00', readings: [{ type: 'heart_rate', value: 70, unit: '/min' }] }));
    const outcome = ingestDeviceMessage(
      { mqttTopic: 'rpm/devices/dev-old/readings', payload, receivedAt: new Date('2026-11-27T12:00:00Z') },
      () => ({ kind: 'bound', patientId: '4d6f7f0e-0c1b-4c55-8f56-3f1e2a7c9b10' }),
    );
    expect(outcome.observations).toHaveLength(0);
    expect(outcome.deadLetters).toEqual([expect.objectContaining({ reason: 'clock_skew', messageId: 'm-old' })]);
  });
});

describe('ingestDeviceMessage: device state (contract v1.1)', () => {
  const at = new Date('2026-11-27T12:00:00Z');
  const judge = (device: unknown) =>
    ingestDeviceMessage(
      {
        mqttTopic: 'rpm/devices/dev-1/readings',
        payload: Buffer.from(JSON.stringify({ messageId: 'm-1', measuredAt: '2026-11-27T11:59:00Z', readings: [{ type: 'heart_rate', value: 70, unit: '/min' }], device })),
        receivedAt: at,
      },
      () => ({ kind: 'bound', patientId: '4d6f7f0e-0c1b-4c55-8f56-3f1e2a7c9b10' }),
    );

  it('reports battery, signal and firmware with the readings', () => {
    const outcome = judge({ batteryPercent: 40, signalDbm: -70, firmware: 'v1.2' });
    expect(outcome.observations).toHaveLength(1);
    expect(outcome.heard).toEqual({ measuredAt: new Date('2026-11-27T11:59:00Z'), batteryPercent: 40, signalDbm: -70, firmware: 'v1.2' });
  });

  it('drops a device value out of range or of the wrong kind, never the readings', () => {
    const outcome = judge({ batteryPercent: 255, signalDbm: 12, firmware: 'ünïcode' });
    expect([outcome.observations.length, outcome.deadLetters.length]).toEqual([1, 0]);
    expect(outcome.heard).toMatchObject({ batteryPercent: null, signalDbm: null, firmware: null });
    expect(judge('not an object').observations).toHaveLength(1);
  });
});
