/**
 * The ingest gateway's Kafka leg alone (issue 8): `callers` concurrent loops, each like one MQTT
 * connection (publish a device message's three observations, wait for acks=all, next), through
 * the gateway's BatchingProducer. Caller counts alternate every `--slice` seconds so a machine
 * shared with other work slows them alike. Prints, asserts nothing.
 *
 *   node scripts/run-ts.js test/bench/pipeline/gateway-kafka-leg.ts [--callers 8,16,32,64] [--slice 5] [--rounds 3]
 *
 * Writes to a topic of its own (deleted at the end), so no pipeline on the shared cluster reads it.
 */
import { randomUUID } from 'node:crypto';
import { Topics, type TopicDefinition } from '@rpm/contracts';
import { BatchingProducer, deleteTopicsWithPrefix, ensureTopicLike } from '@rpm/kafka';
import { aReading, anObservation, newRunId, testKafka } from '@rpm/testing';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const callerCounts = arg('callers', '8,16,32,64').split(',').map(Number);
const sliceS = Number(arg('slice', '5'));
const rounds = Number(arg('rounds', '3'));

async function main(): Promise<void> {
  const runId = newRunId('bench-kafka-leg');
  const kafka = testKafka(runId);
  const topic: TopicDefinition<typeof Topics.observations.schema> = { ...Topics.observations, name: `${runId}-observations` };
  await ensureTopicLike(kafka, topic.name, Topics.observations.name);
  const message = () => {
    const patientId = randomUUID();
    const messageId = randomUUID();
    return [
      anObservation({ patientId, messageId, reading: aReading({ type: 'heart_rate', value: 72 }) }),
      anObservation({ patientId, messageId, reading: aReading({ type: 'spo2', value: 97 }) }),
      anObservation({ patientId, messageId, reading: aReading({ type: 'respiratory_rate', value: 16 }) }),
    ].map((o) => ({ key: o.patientId, value: o }));
  };
  const results = new Map<string, { messages: number; seconds: number; latencyMs: number }>();
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const callers of callerCounts) {
        const producer = new BatchingProducer(kafka);
        await producer.connect();
        const end = Date.now() + sliceS * 1000;
        let messages = 0;
        let latencyMs = 0;
        await Promise.all(
          Array.from({ length: callers }, async () => {
            while (Date.now() < end) {
              const started = performance.now();
              await producer.publish(topic, message());
              latencyMs += performance.now() - started;
              messages++;
            }
          }),
        );
        await producer.disconnect();
        const key = `${String(callers).padStart(3)} callers`;
        const sum = results.get(key) ?? { messages: 0, seconds: 0, latencyMs: 0 };
        results.set(key, { messages: sum.messages + messages, seconds: sum.seconds + sliceS, latencyMs: sum.latencyMs + latencyMs });
        console.log(`round ${round}: ${key}: ${(messages / sliceS).toFixed(0)} messages/s, mean write ${(latencyMs / messages).toFixed(1)} ms`);
      }
    }
    console.log(`\nall rounds (${rounds} x ${sliceS} s each):`);
    for (const [key, r] of results) console.log(`  ${key}: ${(r.messages / r.seconds).toFixed(0)} messages/s, mean write ${(r.latencyMs / r.messages).toFixed(1)} ms`);
  } finally {
    await deleteTopicsWithPrefix(kafka, runId);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
