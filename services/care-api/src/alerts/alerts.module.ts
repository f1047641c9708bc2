import { Module } from '@nestjs/common';
import { AlertConsumer } from './alert.consumer';
import { AlertIngestService } from './alert-ingest.service';
import { AlertLifecycleService } from './alert-lifecycle.service';
import { AlertQueryRepository } from './alert-query.repository';
import { AlertsController } from './alerts.controller';
import { AlertStreamHub } from './alert-stream.hub';
import { WorklistMetrics } from './worklist-metrics';
import { WorklistTimers } from './worklist-timers';

@Module({
  controllers: [AlertsController],
  providers: [AlertQueryRepository, AlertLifecycleService, AlertIngestService, AlertConsumer, AlertStreamHub, WorklistTimers, WorklistMetrics],
  exports: [AlertConsumer, AlertIngestService],
})
export class AlertsModule {}
