import { Module } from '@nestjs/common';
import { KafkaModule, KafkaReadiness } from '@rpm/kafka';
import { ConfigModule, OpsModule, type ReadinessCheck } from '@rpm/service-kit';
import { RULES_ENGINE_CONFIG, loadRulesEngineConfig } from './config/rules-engine.config';
import { EvaluationModule } from './evaluation/evaluation.module';
import { ObservationConsumer } from './evaluation/observation.consumer';
import { PatientProtocols } from './protocols/patient-protocols';
import { PatientStateStore } from './state/patient-state.store';

const config = loadRulesEngineConfig();

@Module({
  imports: [
    ConfigModule.forValue(RULES_ENGINE_CONFIG, config),
    KafkaModule.forRoot({ brokers: config.KAFKA_BROKERS, clientId: 'rules-engine' }),
    EvaluationModule,
    OpsModule.forRoot({
      imports: [EvaluationModule],
      inject: [KafkaReadiness, PatientProtocols, PatientStateStore, ObservationConsumer],
      useFactory: (kafka: KafkaReadiness, protocols: PatientProtocols, states: PatientStateStore, consumer: ObservationConsumer): ReadinessCheck[] => [
        kafka,
        { name: 'patient-protocols', check: async () => protocols.ready },
        { name: 'patient-states', check: async () => states.ready },
        { name: 'observations-consumer', check: async () => consumer.healthy },
      ],
    }),
  ],
})
export class AppModule {
  static readonly config = config;
}
