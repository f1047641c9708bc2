import { createHash } from 'node:crypto';
import { MAX_DEAD_LETTER_PAYLOAD_BYTES, Topics, deviceReadingsTopic, type DeadLetterV1, type ObservationV1 } from '@rpm/contracts';
import { BatchingProducer, type Kafka } from '@rpm/kafka';

/** An observation a secondary sink did not take, and why. */
export interface SinkDeadLetter {
  readonly observation: ObservationV1;
  readonly reason: Extract<DeadLetterV1['reason'], `sink_${string}`>;
  /** The sink's own words (its RejectedRecord reason, its error): kept in the dead letter, never logged. */
  readonly detail: string;
}

/** Where a sink's dead letters go; resolves once they are durable. */
export interface SinkDeadLetters {
  publish(deadLetters: readonly SinkDeadLetter[]): Promise<void>;
}

/**
 * The rpm.ingest.dlq.v1 record of an observation a sink refused: the observation itself is the
 * payload (a replay writes it into that sink again), and its ids say where it came from.
 */
export function toSinkDeadLetter({ observation, reason, detail }: SinkDeadLetter): DeadLetterV1 {
  const payload = Buffer.from(JSON.stringify(observation), 'utf8');
  return {
    schema: 'rpm.ingest-dlq.v1',
    reason,
    detail,
    deviceId: observation.deviceId,
    mqttTopic: deviceReadingsTopic(observation.deviceId),
    messageId: observation.messageId,
    readingIndex: null,
    receivedAt: observation.receivedAt,
    rawPayloadBase64: payload.subarray(0, MAX_DEAD_LETTER_PAYLOAD_BYTES).toString('base64'),
    rawPayloadBytes: payload.length,
    rawPayloadSha256: createHash('sha256').update(payload).digest('hex'),
  };
}

/** Publishes through the project's idempotent, acks=all producer, keyed by device like every dead letter. */
export class KafkaSinkDeadLetters implements SinkDeadLetters {
  private readonly producer: BatchingProducer;

  constructor(kafka: Kafka) {
    this.producer = new BatchingProducer(kafka);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async publish(deadLetters: readonly SinkDeadLetter[]): Promise<void> {
    await this.producer.publish(
      Topics.ingestDlq,
      deadLetters.map((d) => ({ key: d.observation.deviceId, value: toSinkDeadLetter(d) })),
    );
  }
}
