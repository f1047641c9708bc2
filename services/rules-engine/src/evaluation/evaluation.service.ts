import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Topics, type AlertSignalV1, type ObservationV1 } from '@rpm/contracts';
import { observe, type MonitorState } from '@rpm/clinical-rules';
import { BatchingProducer, KAFKA, KafkaLifecycle, type ConsumedRecord, type Kafka } from '@rpm/kafka';
import { counter } from '@rpm/service-kit';
import { Clock } from '../clock/clock';
import { PatientProtocols } from '../protocols/patient-protocols';
import { PatientStateStore } from '../state/patient-state.store';

export const metrics = {
  evaluations: counter('rpm_rules_evaluations_total', 'Readings evaluated by the rules engine', ['type']),
  duplicates: counter('rpm_rules_duplicates_dropped_total', 'Readings dropped as redeliveries or resends (DQ-03)'),
  alerts: counter('rpm_rules_alerts_raised_total', 'Alerts raised or updated, by rule and severity', ['rule', 'severity']),
  cleared: counter('rpm_rules_alerts_cleared_total', 'Episodes ended (returned to normal, data resumed), by rule', ['rule', 'reason']),
};

export function countSignals(signals: readonly AlertSignalV1[]): void {
  for (const s of signals) {
    if (s.schema === 'rpm.alert-raised.v1') metrics.alerts.inc({ rule: s.ruleId, severity: s.severity });
    else metrics.cleared.inc({ rule: s.ruleId, reason: s.reason });
  }
}

/**
 * Orchestration: patient protocol + monitor state + pure monitor (libs/clinical-rules) ->
 * rpm.alerts.v1 and rpm.rules.state.v1, both acknowledged before the batch is committed.
 */
@Injectable()
export class EvaluationService implements OnModuleInit {
  private readonly producer: BatchingProducer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    private readonly protocols: PatientProtocols,
    private readonly states: PatientStateStore,
    private readonly clock: Clock,
    private readonly lifecycle: KafkaLifecycle,
  ) {
    this.producer = new BatchingProducer(kafka);
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
    this.lifecycle.onStop(() => this.producer.disconnect());
  }

  /** Evaluates a fetch's records (each partition's in order); resolves once alerts and states are in Kafka. */
  async evaluate(records: readonly ConsumedRecord<ObservationV1>[]): Promise<number> {
    await Promise.all([this.states.syncIfReassigned(), this.protocols.catchUp()]);
    const now = this.clock.now();
    const signals: AlertSignalV1[] = [];
    const changed = new Map<string, MonitorState>();
    // No await inside the loop: a patient's state is read and written in one synchronous step,
    // so batches of other partitions and the AD-01 sweep interleave only between batches.
    for (const record of records) {
      const observation = record.value;
      if (!observation) continue;
      const protocol = this.protocols.protocolOf(observation.patientId);
      const result = observe(this.states.get(observation.patientId), observation, protocol, { evaluatedAt: now, position: [record.partition, Number(record.offset)] });
      if (result.duplicate) metrics.duplicates.inc();
      else metrics.evaluations.inc({ type: observation.type });
      this.states.set(observation.patientId, result.state, record.partition);
      changed.set(observation.patientId, result.state);
      signals.push(...result.signals);
    }
    await this.publish(signals, changed, now);
    return signals.length;
  }

  /** Alerts first, then the states that produced them: a crash in between replays into the same alert keys. */
  async publish(signals: readonly AlertSignalV1[], states: ReadonlyMap<string, MonitorState>, now: Date): Promise<void> {
    await this.producer.publish(Topics.alerts, signals.map((s) => ({ key: s.patientId, value: s })));
    await this.producer.publish(this.states.topic, this.states.changelogRecords(states, now));
    countSignals(signals);
  }
}
