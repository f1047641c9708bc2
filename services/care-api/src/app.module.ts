import { Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { KafkaModule, KafkaReadiness } from '@rpm/kafka';
import { ConfigModule, OpsModule, databaseReadiness, type ReadinessCheck } from '@rpm/service-kit';
import { AlertConsumer } from './alerts/alert.consumer';
import { AlertsModule } from './alerts/alerts.module';
import { AuthModule } from './auth/auth.module';
import { BillingModule } from './billing/billing.module';
import { CareTeamsModule } from './care-teams/care-teams.module';
import { CARE_API_CONFIG, loadCareApiConfig } from './config/care-api.config';
import { careApiDataSourceOptions } from './database/data-source';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { DeviceHealthModule } from './device-health/device-health.module';
import { DevicesModule } from './devices/devices.module';
import { DispositionsModule } from './dispositions/dispositions.module';
import { FhirModule } from './fhir/fhir.module';
import { EhrPushModule } from './fhir/push/ehr-push.module';
import { MqttDynsecClient } from './devices/mqtt-dynsec.client';
import { MessagingModule } from './messaging/messaging.module';
import { ObservationsModule } from './observations/observations.module';
import { OpenApiModule } from './openapi/openapi.module';
import { PatientsModule } from './patients/patients.module';
import { ProtocolsModule } from './protocols/protocols.module';
import { ReportsModule } from './reports/reports.module';
import { WebModule } from './web/web.module';

const config = loadCareApiConfig();

@Module({
  imports: [
    ConfigModule.forValue(CARE_API_CONFIG, config),
    TypeOrmModule.forRoot(careApiDataSourceOptions(config.DATABASE_URL)),
    KafkaModule.forRoot({ brokers: config.KAFKA_BROKERS, clientId: 'care-api' }),
    MessagingModule,
    CareTeamsModule,
    DispositionsModule,
    AuthModule,
    PatientsModule,
    DevicesModule,
    DeadLettersModule,
    DeviceHealthModule,
    AlertsModule,
    ObservationsModule,
    ReportsModule,
    BillingModule,
    ProtocolsModule,
    FhirModule,
    EhrPushModule.register(config),
    OpenApiModule,
    OpsModule.forRoot({
      imports: [DevicesModule, AlertsModule],
      inject: [KafkaReadiness, getDataSourceToken(), MqttDynsecClient, AlertConsumer],
      useFactory: (kafka: KafkaReadiness, db: DataSource, dynsec: MqttDynsecClient, alerts: AlertConsumer): ReadinessCheck[] => [
        kafka,
        databaseReadiness(db),
        { name: 'mqtt', check: async () => dynsec.connected },
        { name: 'alerts-consumer', check: async () => alerts.healthy },
      ],
    }),
    WebModule,
  ],
})
export class AppModule {
  static readonly config = config;
}
