import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Topics } from '@rpm/contracts';
import { deleteTopicsWithPrefix, ensureTopicLike, type Kafka } from '@rpm/kafka';
import { localTestEnv, partitionCountOf, testKafka } from '@rpm/testing';
import { parseProducerPerformanceSummary, type ProducerPerformanceSummary } from './producer-performance';
import { sampleMessageShape } from './observation-sample';

const REPO_ROOT = resolve(__dirname, '../../..');

export interface KafkaCeilingOptions {
  /** Records to send (default 200,000: 100,000 device messages of the sample's 2 readings). */
  readonly records?: number;
  /** Bytes per record (default: the JSON size of a real rpm.observation.v1 record). */
  readonly recordBytes?: number;
  /** Records per device message, to express the ceiling in messages (default: the sample message's). */
  readonly recordsPerMessage?: number;
  /** Producer settings added to (or overriding) acks=all and enable.idempotence=true. */
  readonly producerProps?: Readonly<Record<string, string>>;
  /** Default: a client on the local broker (KAFKA_BROKERS of .rpm/local.env). */
  readonly kafka?: Kafka;
}

export interface KafkaCeiling extends ProducerPerformanceSummary {
  readonly recordBytes: number;
  readonly partitions: number;
  readonly recordsPerMessage: number;
  /** records / recordsPerMessage: the device messages these records stand for. */
  readonly messagesEquivalent: number;
  readonly messagesPerSecond: number;
}

/** Runs a Kafka CLI main class with the project's cached jars; resolves with stdout, rejects with stderr's tail. */
function runKafkaTool(mainClass: string, args: readonly string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [resolve(REPO_ROOT, 'infra/kafka/tool.sh'), mainClass, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(stdout);
      else reject(new Error(`${mainClass} exited ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}

/**
 * Kafka's own producer (ProducerPerformance, same jars as the broker) writing as fast as it can
 * with the pipeline's durability (acks=all, idempotent) into a scratch topic partitioned like
 * rpm.observations.v1, deleted afterwards. The pipeline's producer can at best match this.
 */
export async function kafkaProducerCeiling(options: KafkaCeilingOptions = {}): Promise<KafkaCeiling> {
  const shape = sampleMessageShape();
  const records = options.records ?? 200_000;
  const recordBytes = options.recordBytes ?? shape.recordBytes;
  const recordsPerMessage = options.recordsPerMessage ?? shape.recordsPerMessage;
  const topic = `bench.ceiling.${randomUUID().slice(0, 8)}`;
  const kafka = options.kafka ?? testKafka('bench-ceiling');
  const brokers = localTestEnv().KAFKA_BROKERS;
  await ensureTopicLike(kafka, topic, Topics.observations.name, { 'cleanup.policy': 'delete' });
  try {
    const partitions = await partitionCountOf(kafka, topic);
    const props = { 'bootstrap.servers': brokers, acks: 'all', 'enable.idempotence': 'true', ...options.producerProps };
    const output = await runKafkaTool('org.apache.kafka.tools.ProducerPerformance', [
      '--topic', topic, '--num-records', String(records), '--record-size', String(recordBytes), '--throughput', '-1',
      '--command-property', ...Object.entries(props).map(([k, v]) => `${k}=${v}`),
    ]);
    const summary = parseProducerPerformanceSummary(output);
    if (!summary) throw new Error(`ProducerPerformance printed no summary: ${output.trim().split('\n').slice(-3).join(' | ')}`);
    return {
      ...summary,
      recordBytes,
      partitions,
      recordsPerMessage,
      messagesEquivalent: summary.records / recordsPerMessage,
      messagesPerSecond: summary.recordsPerSecond / recordsPerMessage,
    };
  } finally {
    await deleteTopicsWithPrefix(kafka, topic);
  }
}
