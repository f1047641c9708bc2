import { Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { KafkaModule, KafkaReadiness } from '@rpm/kafka';
import { ConfigModule, OpsModule, databaseReadiness, type ReadinessCheck } from '@rpm/service-kit';
import { VITALS_STORE_CONFIG, loadVitalsStoreConfig } from './config/vitals-store.config';
import { vitalsStoreDataSourceOptions } from './database/data-source';
import { ObservationsModule } from './observations/observations.module';

const config = loadVitalsStoreConfig();

@Module({
  imports: [
    ConfigModule.forValue(VITALS_STORE_CONFIG, config),
    TypeOrmModule.forRoot(vitalsStoreDataSourceOptions(config.DATABASE_URL)),
    KafkaModule.forRoot({ brokers: config.KAFKA_BROKERS, clientId: 'vitals-store' }),
    ObservationsModule,
    OpsModule.forRoot({
      inject: [KafkaReadiness, getDataSourceToken()],
      useFactory: (kafka: KafkaReadiness, db: DataSource): ReadinessCheck[] => [kafka, databaseReadiness(db)],
    }),
  ],
})
export class AppModule {
  static readonly config = config;
}
