import { Module } from '@nestjs/common';
import { KafkaModule, KafkaReadiness } from '@rpm/kafka';
import { ConfigModule, OpsModule, type ReadinessCheck } from '@rpm/service-kit';
import { INGEST_CONFIG, loadIngestConfig } from './config/ingest.config';
import { DeviceMessageMqttHandler } from './ingest/device-message.mqtt-handler';
import { IngestModule } from './ingest/ingest.module';
import { DeviceRegistry } from './registry/device-registry';

const config = loadIngestConfig();

@Module({
  imports: [
    ConfigModule.forValue(INGEST_CONFIG, config),
    KafkaModule.forRoot({ brokers: config.KAFKA_BROKERS, clientId: 'ingest-gateway' }),
    IngestModule,
    OpsModule.forRoot({
      imports: [IngestModule],
      inject: [KafkaReadiness, DeviceMessageMqttHandler, DeviceRegistry],
      useFactory: (kafka: KafkaReadiness, mqttHandler: DeviceMessageMqttHandler, registry: DeviceRegistry): ReadinessCheck[] => [
        kafka,
        { name: 'mqtt', check: async () => mqttHandler.connected },
        { name: 'device-registry', check: async () => registry.ready },
      ],
    }),
  ],
})
export class AppModule {
  static readonly config = config;
}
