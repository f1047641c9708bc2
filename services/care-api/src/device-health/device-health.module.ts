import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { DeviceHealthService } from './device-health.service';
import { DeviceStatusConsumer } from './device-status.consumer';

@Module({
  imports: [AlertsModule],
  providers: [DeviceHealthService, DeviceStatusConsumer],
  exports: [DeviceHealthService],
})
export class DeviceHealthModule {}
