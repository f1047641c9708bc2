import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { DeadLetterListResponse } from '@rpm/contracts';
import { workspaceRoot } from '@rpm/service-kit';
import { accountForMessage, fuzzPayloadAround, FuzzTally, publishReading, pollUntil, SERVICE_NAMES, TestDatabase, validEnvelope, type FuzzPayload } from '@rpm/testing';
import { ingestDeviceMessage, type IngestOutcome } from '@rpm/vitals';
import type { MqttClient } from 'mqtt';
import { PipelineHarness } from './pipeline-harness';

const SEED = 20_261_127;
const DEVICES = 3;
/** Per device: 450 messages in all, a third of them plain valid ones. */
const MESSAGES_PER_DEVICE = 150;
/** Each message measured in its own slot, further apart than the 60 s in which the store drops a resend under a new messageId (DQ-03). */
const SLOT_MS = 2 * 60_000;
/** PUBACKs awaited at once per device (QoS 1 in flight). */
const IN_FLIGHT = 20;

interface Sent {
  readonly deviceId: string;
  readonly input: FuzzPayload;
  readonly pubackCode: number;
  /** What the pure ingest decision makes of it: the oracle the pipeline must agree with. */
  readonly expected: IngestOutcome;
  readonly fate: string;
}

const observationKey = (deviceId: string, messageId: string, code: string) => `${deviceId}|${messageId}|${code}`;
const deadLetterKey = (reason: string, readingIndex: number | null, sha256: string) => `${reason}|${readingIndex}|${sha256}`;

/**
 * Issue 8, section 4, end to end: a few hundred generated messages (valid, mutated, truncated, random
 * bytes, 2047 frames, edge timestamps, at the size limit) published by registered devices through the
 * real broker. Every acknowledged message is accounted for: each reading stored, or dead-lettered with
 * the reason the pure ingest decision gives; nothing else appears; every service still ready.
 */
describe('the MQTT payload path under fuzz, end to end', () => {
  const harness = new PipelineHarness({}, { ports: { 'care-api': 13600, 'ingest-gateway': 13601, 'rules-engine': 13602, 'vitals-store': 13603 } });
  const db = new TestDatabase();
  const startedAt = new Date();

  beforeAll(() => harness.start(), 120_000);
  afterAll(async () => {
    await harness.stop();
    await db.end();
  }, 60_000);

  async function publishAll(deviceId: string, patientId: string, client: MqttClient, topic: string, deviceIndex: number): Promise<Sent[]> {
    const inputs = Array.from({ length: MESSAGES_PER_DEVICE }, (_, i) => {
      const base = validEnvelope(startedAt.getTime() - (i + 1) * SLOT_MS, `fz-${harness.runId}-${deviceIndex}-${i}`);
      const family = i % 3 === 0 ? base.map((m): FuzzPayload => ({ family: 'valid', payload: Buffer.from(JSON.stringify(m)) })) : fuzzPayloadAround(base);
      return fc.sample(family, { seed: SEED + deviceIndex * 1_000 + i, numRuns: 1 })[0]!;
    });
    const sent: Sent[] = [];
    for (let i = 0; i < inputs.length; i += IN_FLIGHT) {
      const batch = inputs.slice(i, i + IN_FLIGHT);
      const codes = await Promise.all(batch.map((input) => publishReading(client, topic, input.payload)));
      batch.forEach((input, j) => {
        const message = { mqttTopic: topic, payload: input.payload, receivedAt: new Date() };
        const expected = ingestDeviceMessage(message, () => ({ kind: 'bound', patientId }));
        const accounting = accountForMessage(message, expected);
        const reasons = [...new Set(expected.deadLetters.map((d) => d.reason))].join('+');
        sent.push({ deviceId, input, pubackCode: codes[j]!, expected, fate: accounting.fate === 'stored' ? 'stored' : `${accounting.fate} (${reasons})` });
      });
    }
    return sent;
  }

  /** What the pipeline has so far for these devices: stored observations and dead letters, as keys. */
  async function pipelineState(deviceIds: string[]) {
    const rows = await db.query<{ device_id: string; message_id: string; panel_code: string }>(
      'SELECT DISTINCT device_id, message_id, panel_code FROM observations WHERE device_id = ANY($1)',
      [deviceIds],
    );
    const stored = new Set(rows.map((r) => observationKey(r.device_id, r.message_id, r.panel_code)));
    const deadLettered = new Set(deviceIds.flatMap((id) => harness.deadLettersOf(id).map((d) => `${id}|${deadLetterKey(d.reason, d.readingIndex, d.rawPayloadSha256)}`)));
    return { stored, deadLettered };
  }

  /** Error lines each service logged since the suite started, and whether any was an uncaught error. */
  function errorLogsSince(since: Date): Record<string, { errors: number; uncaught: number }> {
    const out: Record<string, { errors: number; uncaught: number }> = {};
    for (const name of SERVICE_NAMES) {
      const lines = readFileSync(join(workspaceRoot(), '.data', 'logs', `${name}.log`), 'utf8').split('\n');
      const errors = lines
        .filter((l) => l.startsWith('{') && l.includes('"level":"error"'))
        .filter((l) => {
          const ts = /"ts":"([^"]+)"/.exec(l)?.[1];
          return ts !== undefined && Date.parse(ts) >= since.getTime();
        });
      out[name] = { errors: errors.length, uncaught: errors.filter((l) => /uncaught|unhandled/i.test(l)).length };
    }
    return out;
  }

  it('accounts for every acknowledged message: stored, or dead-lettered with its reason; no service falls over', async () => {
    const devices = await Promise.all(Array.from({ length: DEVICES }, () => harness.enrolledDevice(['hypertension'], 'bp_cuff')));
    const sent = (
      await Promise.all(devices.map((d, index) => publishAll(d.registration.deviceId, d.patient.id, d.client, d.topic, index)))
    ).flat();
    const deviceIds = devices.map((d) => d.registration.deviceId);
    expect(sent.filter((s) => s.pubackCode !== 0).map((s) => [s.input.family, s.pubackCode])).toEqual([]);

    const expectedStored = new Set(sent.flatMap((s) => s.expected.observations.map((o) => observationKey(s.deviceId, o.messageId, o.code))));
    const expectedDeadLetters = new Set(sent.flatMap((s) => s.expected.deadLetters.map((d) => `${s.deviceId}|${deadLetterKey(d.reason, d.readingIndex, d.rawPayloadSha256)}`)));
    const state = await pollUntil(
      async () => {
        const now = await pipelineState(deviceIds);
        const complete = [...expectedStored].every((k) => now.stored.has(k)) && [...expectedDeadLetters].every((k) => now.deadLettered.has(k));
        return complete ? now : undefined;
      },
      { what: `${expectedStored.size} observations and ${expectedDeadLetters.size} dead letters of ${sent.length} fuzzed messages`, timeoutMs: 90_000, intervalMs: 500 },
    ).catch(() => pipelineState(deviceIds));

    const fates = new FuzzTally();
    const families = new FuzzTally();
    sent.forEach((s) => {
      fates.add(s.fate);
      families.add(s.input.family);
    });
    console.log(`${families.summary('MQTT fuzz end to end', 'messages published')}\n${fates.summary('outcomes', 'messages')}`);

    // Nothing missing, nothing extra: the pipeline did exactly what the pure decision says.
    expect({ missingObservations: [...expectedStored].filter((k) => !state.stored.has(k)), missingDeadLetters: [...expectedDeadLetters].filter((k) => !state.deadLettered.has(k)) }).toEqual({
      missingObservations: [],
      missingDeadLetters: [],
    });
    expect({ unexpectedObservations: [...state.stored].filter((k) => !expectedStored.has(k)), unexpectedDeadLetters: [...state.deadLettered].filter((k) => !expectedDeadLetters.has(k)) }).toEqual({
      unexpectedObservations: [],
      unexpectedDeadLetters: [],
    });

    // care-api keeps the same dead letters for operators (raw payloads of every shape in PostgreSQL).
    const listed = await pollUntil(
      async () => {
        const keys = new Set<string>();
        for (const id of deviceIds) {
          const page = await harness.admin.get<DeadLetterListResponse>(`/api/v1/dead-letters?deviceId=${encodeURIComponent(id)}&limit=500`);
          page.body.items.forEach((d) => keys.add(`${id}|${deadLetterKey(d.reason, d.readingIndex, d.rawPayloadSha256)}`));
        }
        return keys.size >= expectedDeadLetters.size ? keys : undefined;
      },
      { what: 'care-api to list the dead letters', timeoutMs: 60_000, intervalMs: 500 },
    ).catch(() => new Set<string>());
    expect([...expectedDeadLetters].filter((k) => !listed.has(k))).toEqual([]);

    for (const [name, service] of Object.entries(harness.services)) {
      expect([name, service.exited, (await fetch(`http://127.0.0.1:${harness.ports[name as keyof typeof harness.ports]}/readyz`)).status]).toEqual([name, false, 200]);
    }
    const logs = errorLogsSince(startedAt);
    console.log(`error log lines since the start: ${JSON.stringify(logs)}`);
    expect(Object.entries(logs).filter(([, l]) => l.uncaught > 0)).toEqual([]);
  });
});
