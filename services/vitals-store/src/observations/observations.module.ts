import { Module } from '@nestjs/common';
import { ObservationConsumer } from './observation.consumer';
import { ObservationQueryController } from './observation-query.controller';
import { ObservationRepository } from './observation.repository';
import { PartitionMaintenance } from './partition-maintenance';

@Module({
  controllers: [ObservationQueryController],
  providers: [ObservationRepository, PartitionMaintenance, ObservationConsumer],
  exports: [ObservationConsumer],
})
export class ObservationsModule {}
