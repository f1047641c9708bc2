import { Module } from '@nestjs/common';
import { DeviceRegistry } from '../registry/device-registry';
import { DeviceMessageMqttHandler } from './device-message.mqtt-handler';
import { IngestService } from './ingest.service';

@Module({
  providers: [DeviceRegistry, IngestService, DeviceMessageMqttHandler],
  exports: [DeviceRegistry, IngestService, DeviceMessageMqttHandler],
})
export class IngestModule {}
