import { Module } from '@nestjs/common';
import { SinksModule } from '../sinks/sinks.module';
import { ObservationConsumer } from './observation.consumer';
import { ObservationQueryController } from './observation-query.controller';
import { ObservationWriteService } from './observation-write.service';
import { ObservationRepository } from './observation.repository';
import { PartitionMaintenance } from './partition-maintenance';
import { PostgresSink } from './postgres-sink';
import { ReadingDaysController } from './reading-days.controller';
import { ReadingDaysRepository } from './reading-days.repository';

@Module({
  imports: [SinksModule],
  controllers: [ObservationQueryController, ReadingDaysController],
  providers: [ObservationRepository, ReadingDaysRepository, PartitionMaintenance, PostgresSink, ObservationWriteService, ObservationConsumer],
  exports: [ObservationConsumer],
})
export class ObservationsModule {}
