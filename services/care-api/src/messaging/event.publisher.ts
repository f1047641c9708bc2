import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Topics, programmeProtocolKey, type AlertEventV1, type DeviceBindingV1, type EhrPushDeadLetterV1, type ObservationV1, type PatientProtocolV1, type ProgrammeProtocolV1 } from '@rpm/contracts';
import { BatchingProducer, KAFKA, KafkaLifecycle, type Kafka } from '@rpm/kafka';

/** Kafka out: registry bindings, patient and programme protocols, alert lifecycle events, and replayed readings. */
@Injectable()
export class EventPublisher implements OnModuleInit {
  private readonly producer: BatchingProducer;

  constructor(@Inject(KAFKA) kafka: Kafka, private readonly lifecycle: KafkaLifecycle) {
    this.producer = new BatchingProducer(kafka);
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
    this.lifecycle.onStop(() => this.producer.disconnect());
  }

  publishBinding(binding: DeviceBindingV1): Promise<void> {
    return this.producer.publish(Topics.deviceRegistry, [{ key: binding.deviceId, value: binding }]);
  }

  publishProtocol(protocol: PatientProtocolV1): Promise<void> {
    return this.producer.publish(Topics.rulesConfig, [{ key: protocol.patientId, value: protocol }]);
  }

  publishProgrammeProtocol(protocol: ProgrammeProtocolV1): Promise<void> {
    return this.producer.publish(Topics.rulesConfig, [{ key: programmeProtocolKey(protocol.programme), value: protocol }]);
  }

  /** Readings of a replayed dead letter, keyed by patient like the gateway's. */
  publishObservations(observations: readonly ObservationV1[]): Promise<void> {
    return this.producer.publish(Topics.observations, observations.map((o) => ({ key: o.patientId, value: o })));
  }

  /** A Bundle the EHR push gave up on (docs/adr/0012), keyed by patient. */
  publishEhrPushDeadLetter(letter: EhrPushDeadLetterV1): Promise<void> {
    return this.producer.publish(Topics.ehrPushDlq, [{ key: letter.patientId, value: letter }]);
  }

  publishAlertEvents(events: readonly AlertEventV1[]): Promise<void> {
    return this.producer.publish(Topics.alertEvents, events.map((e) => ({ key: e.patientId, value: e })));
  }
}
