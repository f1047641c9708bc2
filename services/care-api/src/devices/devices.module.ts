import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PatientEntity } from '../patients/patient.entity';
import { DeviceEntity } from './device.entity';
import { DeviceBindings } from './device-bindings';
import { DevicesController } from './devices.controller';
import { DevicesService } from './devices.service';
import { MqttDynsecClient } from './mqtt-dynsec.client';

@Module({
  imports: [TypeOrmModule.forFeature([DeviceEntity, PatientEntity])],
  controllers: [DevicesController],
  providers: [DevicesService, MqttDynsecClient, DeviceBindings],
  exports: [MqttDynsecClient, DeviceBindings],
})
export class DevicesModule {}
