import { Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { KafkaModule, KafkaReadiness } from '@rpm/kafka';
import { ConfigModule, OpsModule, databaseReadiness, type ReadinessCheck } from '@rpm/service-kit';
import { VITALS_STORE_CONFIG, loadVitalsStoreConfig } from './config/vitals-store.config';
import { vitalsStoreDataSourceOptions } from './database/data-source';
import { ObservationConsumer } from './observations/observation.consumer';
import { ObservationsModule } from './observations/observations.module';

const config = loadVitalsStoreConfig();

@Module({
  imports: [
    ConfigModule.forValue(VITALS_STORE_CONFIG, config),
    TypeOrmModule.forRoot(vitalsStoreDataSourceOptions(config.DATABASE_URL)),
    KafkaModule.forRoot({ brokers: config.KAFKA_BROKERS, clientId: 'vitals-store' }),
    ObservationsModule,
    OpsModule.forRoot({
      imports: [ObservationsModule],
      inject: [KafkaReadiness, getDataSourceToken(), ObservationConsumer],
      useFactory: (kafka: KafkaReadiness, db: DataSource, consumer: ObservationConsumer): ReadinessCheck[] => [
        kafka,
        databaseReadiness(db),
        { name: 'observations-consumer', check: async () => consumer.healthy },
      ],
    }),
  ],
})
export class AppModule {
  static readonly config = config;
}
