import { Module } from '@nestjs/common';
import { KafkaModule, KafkaReadiness } from '@rpm/kafka';
import { ConfigModule, OpsModule, type ReadinessCheck } from '@rpm/service-kit';
import { RULES_ENGINE_CONFIG, loadRulesEngineConfig } from './config/rules-engine.config';
import { EvaluationModule } from './evaluation/evaluation.module';
import { ObservationConsumer } from './evaluation/observation.consumer';
import { PatientProtocols } from './protocols/patient-protocols';

const config = loadRulesEngineConfig();

@Module({
  imports: [
    ConfigModule.forValue(RULES_ENGINE_CONFIG, config),
    KafkaModule.forRoot({ brokers: config.KAFKA_BROKERS, clientId: 'rules-engine' }),
    EvaluationModule,
    OpsModule.forRoot({
      imports: [EvaluationModule],
      inject: [KafkaReadiness, PatientProtocols, ObservationConsumer],
      useFactory: (kafka: KafkaReadiness, protocols: PatientProtocols, consumer: ObservationConsumer): ReadinessCheck[] => [
        kafka,
        { name: 'patient-protocols', check: async () => protocols.ready },
        { name: 'observations-consumer', check: async () => consumer.healthy },
      ],
    }),
  ],
})
export class AppModule {
  static readonly config = config;
}
