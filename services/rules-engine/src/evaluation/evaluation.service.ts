import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Topics, type AlertRaisedV1, type ObservationV1 } from '@rpm/contracts';
import { evaluateReading, toAlertRaised } from '@rpm/clinical-rules';
import { BatchingProducer, KAFKA, KafkaLifecycle, type Kafka } from '@rpm/kafka';
import { counter } from '@rpm/service-kit';
import { PatientProtocols } from '../protocols/patient-protocols';

const metrics = {
  evaluations: counter('rpm_rules_evaluations_total', 'Readings evaluated by the rules engine', ['type']),
  alerts: counter('rpm_rules_alerts_raised_total', 'Alerts raised, by rule and severity', ['rule', 'severity']),
};

/** Orchestration: patient context + pure rules (libs/clinical-rules) -> rpm.alerts.v1. */
@Injectable()
export class EvaluationService implements OnModuleInit {
  private readonly producer: BatchingProducer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    private readonly protocols: PatientProtocols,
    private readonly lifecycle: KafkaLifecycle,
  ) {
    this.producer = new BatchingProducer(kafka);
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
    this.lifecycle.onStop(() => this.producer.disconnect());
  }

  /** Evaluates readings in their partition order; resolves once the alerts are in Kafka. */
  async evaluate(observations: readonly ObservationV1[]): Promise<number> {
    const now = new Date();
    const alerts: AlertRaisedV1[] = [];
    for (const observation of observations) {
      const patient = await this.protocols.contextOf(observation.patientId);
      metrics.evaluations.inc({ type: observation.type });
      for (const firing of evaluateReading(observation, patient, now)) {
        alerts.push(toAlertRaised(firing, observation, now));
        metrics.alerts.inc({ rule: firing.ruleId, severity: firing.severity });
      }
    }
    await this.producer.publish(Topics.alerts, alerts.map((a) => ({ key: a.patientId, value: a })));
    return alerts.length;
  }
}
