import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Topics } from '@rpm/contracts';
import { BatchingProducer, KAFKA, KafkaLifecycle, permanentWriteError, type Kafka } from '@rpm/kafka';
import { JsonLogger } from '@rpm/service-kit';
import { deadLetterOf, ingestDeviceMessage, type DeviceMessage, type IngestOutcome } from '@rpm/vitals';
import { DeviceRegistry } from '../registry/device-registry';
import { DeviceStatusTracker } from './device-status-tracker';
import { ingestMetrics } from './ingest.metrics';

/**
 * Judges one device message (pure, libs/vitals) and writes the outcome to Kafka.
 * Resolves only when Kafka acknowledged every record: the caller then PUBACKs.
 */
@Injectable()
export class IngestService implements OnModuleInit {
  private readonly producer: BatchingProducer;
  private readonly statuses = new DeviceStatusTracker();
  private readonly log = new JsonLogger('ingest-gateway');

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    private readonly registry: DeviceRegistry,
    private readonly lifecycle: KafkaLifecycle,
  ) {
    this.producer = new BatchingProducer(kafka);
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
    this.lifecycle.onStop(() => this.producer.disconnect());
  }

  async ingest(message: DeviceMessage): Promise<{ accepted: number; rejected: number }> {
    ingestMetrics.messages.inc();
    const judge = () => ingestDeviceMessage(message, (id, measuredAt) => this.registry.bindingAt(id, measuredAt));
    let outcome = judge();
    if (outcome.deadLetters.some((d) => d.reason === 'unbound_device' || d.reason === 'outside_binding')) {
      // A lagging table is no verdict (a binding or a move written a moment ago): throw, and the PUBACK is held and the message retried.
      if (!(await this.registry.waitForLatest())) throw new Error('device registry is not caught up');
      outcome = judge();
    }
    const stopTimer = ingestMetrics.kafkaWriteSeconds.startTimer();
    try {
      await this.write(outcome);
      stopTimer();
    } catch (error) {
      const refusal = permanentWriteError(error);
      if (refusal === null) throw error;
      stopTimer(); // Kafka answered: a refusal is timed like a write.
      // Retrying would hold this PUBACK, and every later one of its connection, forever: the whole
      // message goes to the dead letters instead (some of its records may be in Kafka: a replay is idempotent).
      this.log.error('kafka refuses this message\'s records for good; dead-lettered whole', { deviceId: outcome.deviceId, mqttTopic: message.mqttTopic, error: refusal });
      // With the messageId it carried, so the letter can be matched to the device's own log.
      const messageId = outcome.observations[0]?.messageId ?? outcome.deadLetters.find((d) => d.messageId !== null)?.messageId ?? null;
      const letter = deadLetterOf(message, 'unwritable', refusal, messageId);
      await this.producer.publish(Topics.ingestDlq, [{ key: letter.deviceId ?? 'unknown', value: letter }]);
      ingestMetrics.rejects.inc({ reason: 'unwritable' });
      return { accepted: 0, rejected: 1 };
    }
    // Last seen, battery, firmware, clock: for device health, whatever the verdict on the readings. Off
    // the PUBACK path: a status that cannot be written costs a minute of freshness, never a reading.
    const status = outcome.deviceId && outcome.heard ? this.statuses.next(outcome.deviceId, outcome.heard, message.receivedAt) : null;
    if (status) {
      this.producer.publish(Topics.deviceStatus, [{ key: status.deviceId, value: status }]).catch((error: unknown) => {
        ingestMetrics.statusWriteFailures.inc();
        this.log.warn('device status not written', { deviceId: status.deviceId, error: error instanceof Error ? error.message : String(error) });
      });
    }
    outcome.observations.forEach((o) => ingestMetrics.accepted.inc({ type: o.type }));
    outcome.deadLetters.forEach((d) => ingestMetrics.rejects.inc({ reason: d.reason }));
    return { accepted: outcome.observations.length, rejected: outcome.deadLetters.length };
  }

  private async write(outcome: IngestOutcome): Promise<void> {
    await Promise.all([
      this.producer.publish(
        Topics.observations,
        outcome.observations.map((o) => ({ key: o.patientId, value: o })),
      ),
      this.producer.publish(
        Topics.ingestDlq,
        outcome.deadLetters.map((d) => ({ key: d.deviceId ?? 'unknown', value: d })),
      ),
    ]);
  }
}
