import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceId, DeviceMessageV1, DeviceReading, deviceIdFromTopic, deviceReadingsTopic, READING_TYPES } from './device-payload';

const fixtures = (kind: 'valid' | 'invalid') =>
  readdirSync(join(__dirname, 'fixtures', kind)).map((file) => [file, readFileSync(join(__dirname, 'fixtures', kind, file), 'utf8')] as const);

describe('device contract v1', () => {
  it.each(fixtures('valid'))('%s: the envelope and every reading parse', (_file, text) => {
    const envelope = DeviceMessageV1.parse(JSON.parse(text));
    for (const reading of envelope.readings) expect(DeviceReading.safeParse(reading).success).toBe(true);
  });

  it.each([
    ['envelope-empty-readings.json', 'readings'],
    ['envelope-measured-at-without-offset.json', 'measuredAt'],
    ['envelope-missing-message-id.json', 'messageId'],
    ['envelope-not-an-object.json', ''],
  ])('%s: the envelope fails at %p', (file, path) => {
    const parsed = DeviceMessageV1.safeParse(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'invalid', file), 'utf8')));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('rejects a reading with a unit its type does not accept, alone', () => {
    const text = readFileSync(join(__dirname, 'fixtures', 'invalid', 'reading-unknown-unit.json'), 'utf8');
    const envelope = DeviceMessageV1.parse(JSON.parse(text));
    expect(envelope.readings.map((r) => DeviceReading.safeParse(r).success)).toContain(false);
  });

  it('keeps plausibility out of the schema: an error frame of 2047s is schema-valid (libs/vitals rejects it)', () => {
    const text = readFileSync(join(__dirname, 'fixtures', 'invalid', 'reading-error-frame-2047.json'), 'utf8');
    const envelope = DeviceMessageV1.parse(JSON.parse(text));
    expect(envelope.readings.every((r) => DeviceReading.safeParse(r).success)).toBe(true);
  });

  it('accepts every documented unit and nothing else', () => {
    const units: Record<string, string[]> = {
      blood_pressure: ['mmHg', 'kPa'],
      heart_rate: ['/min'],
      spo2: ['%'],
      body_weight: ['kg', 'lb'],
      glucose: ['mg/dL', 'mmol/L'],
      body_temperature: ['Cel', 'degF'],
      respiratory_rate: ['/min'],
    };
    const reported = ['consciousness', 'supplemental_oxygen'];
    expect([...READING_TYPES].sort()).toEqual([...Object.keys(units), ...reported].sort());
    for (const [type, accepted] of Object.entries(units)) {
      const values = type === 'blood_pressure' ? { systolic: 120, diastolic: 80 } : { value: 1 };
      for (const unit of accepted) expect(DeviceReading.safeParse({ type, unit, ...values }).success).toBe(true);
      expect(DeviceReading.safeParse({ type, unit: 'furlong', ...values }).success).toBe(false);
    }
  });

  it('accepts the reported NEWS2 inputs: ACVPU consciousness and supplemental oxygen with optional flow', () => {
    for (const level of ['alert', 'confusion', 'voice', 'pain', 'unresponsive']) {
      expect(DeviceReading.safeParse({ type: 'consciousness', value: level }).success).toBe(true);
    }
    expect(DeviceReading.safeParse({ type: 'consciousness', value: 'drowsy' }).success).toBe(false);
    expect(DeviceReading.safeParse({ type: 'consciousness', value: 0 }).success).toBe(false);
    expect(DeviceReading.safeParse({ type: 'supplemental_oxygen', value: true, flow: 2 }).success).toBe(true);
    expect(DeviceReading.safeParse({ type: 'supplemental_oxygen', value: false }).success).toBe(true);
    expect(DeviceReading.safeParse({ type: 'supplemental_oxygen', value: 'yes' }).success).toBe(false);
    expect(DeviceReading.safeParse({ type: 'supplemental_oxygen', value: true, flow: Infinity }).success).toBe(false);
  });

  it('rejects non-finite and non-numeric values', () => {
    expect(DeviceReading.safeParse({ type: 'heart_rate', value: '72', unit: '/min' }).success).toBe(false);
    expect(DeviceReading.safeParse({ type: 'heart_rate', value: Infinity, unit: '/min' }).success).toBe(false);
  });

  it('refuses control characters in messageId (PostgreSQL cannot store NUL)', () => {
    const base = { measuredAt: '2026-11-27T07:58:12-05:00', readings: [{}] };
    expect(DeviceMessageV1.safeParse({ ...base, messageId: 'a\u0000b' }).success).toBe(false);
    expect(DeviceMessageV1.safeParse({ ...base, messageId: 'line\nbreak' }).success).toBe(false);
    expect(DeviceMessageV1.safeParse({ ...base, messageId: 'ünïcode-ok' }).success).toBe(true);
  });

  // Found by fuzzing (issue 8, section 4): stored as U+FFFD, "\ud800" and "\ud801" were one natural key.
  it('refuses unpaired surrogates in messageId, takes paired ones (emoji)', () => {
    const base = { measuredAt: '2026-11-27T07:58:12-05:00', readings: [{}] };
    expect(DeviceMessageV1.safeParse({ ...base, messageId: 'm-\ud800' }).success).toBe(false);
    expect(DeviceMessageV1.safeParse({ ...base, messageId: '\udfff-m' }).success).toBe(false);
    expect(DeviceMessageV1.safeParse({ ...base, messageId: 'm-💓' }).success).toBe(true);
  });

  it('bounds messageId to 1-128 characters and readings to 1-32', () => {
    const base = { messageId: 'm', measuredAt: '2026-11-27T07:58:12-05:00', readings: [{}] };
    expect(DeviceMessageV1.safeParse(base).success).toBe(true);
    expect(DeviceMessageV1.safeParse({ ...base, messageId: '' }).success).toBe(false);
    expect(DeviceMessageV1.safeParse({ ...base, messageId: 'x'.repeat(128) }).success).toBe(true);
    expect(DeviceMessageV1.safeParse({ ...base, messageId: 'x'.repeat(129) }).success).toBe(false);
    expect(DeviceMessageV1.safeParse({ ...base, readings: Array.from({ length: 33 }, () => ({})) }).success).toBe(false);
  });
});

describe('device ids and topics', () => {
  it.each(['bp-0001', 'sim.p7:scale_2', 'A1b'])('accepts %p', (id) => {
    expect(DeviceId.safeParse(id).success).toBe(true);
    expect(deviceIdFromTopic(deviceReadingsTopic(id))).toBe(id);
  });

  it.each(['ab', '-leading', 'has/slash', 'wild+card', 'hash#', 'x'.repeat(65), 'spa ce', 'rpm-ingest', 'RPM-admin'])('refuses %p', (id) => {
    expect(DeviceId.safeParse(id).success).toBe(false);
  });

  it.each(['rpm/devices/bp-1/other', 'other/devices/bp-1/readings', 'rpm/devices/a/b/readings', 'rpm/devices//readings'])(
    'finds no device id in %p',
    (topic) => {
      expect(deviceIdFromTopic(topic)).toBeNull();
    },
  );
});
