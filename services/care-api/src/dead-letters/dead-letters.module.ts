import { Module } from '@nestjs/common';
import { DeviceHealthModule } from '../device-health/device-health.module';
import { DevicesModule } from '../devices/devices.module';
import { DeadLetterConsumer } from './dead-letter.consumer';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersService } from './dead-letters.service';

@Module({
  imports: [DevicesModule, DeviceHealthModule],
  controllers: [DeadLettersController],
  providers: [DeadLettersService, DeadLetterConsumer],
  exports: [DeadLetterConsumer],
})
export class DeadLettersModule {}
