import { Module } from '@nestjs/common';
import { AlertConsumer } from './alert.consumer';
import { AlertIngestService } from './alert-ingest.service';
import { AlertLifecycleService } from './alert-lifecycle.service';
import { AlertQueryRepository } from './alert-query.repository';
import { AlertsController } from './alerts.controller';

@Module({
  controllers: [AlertsController],
  providers: [AlertQueryRepository, AlertLifecycleService, AlertIngestService, AlertConsumer],
  exports: [AlertConsumer],
})
export class AlertsModule {}
