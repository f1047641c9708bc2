import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { JsonLogger, PeriodicTask } from '@rpm/service-kit';
import { ObservationRepository } from './observation.repository';

/** Partitions must exist before readings for a new month arrive: check at boot and twice a day. */
const MAINTENANCE_INTERVAL_MS = 12 * 3600 * 1000;

@Injectable()
export class PartitionMaintenance implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new JsonLogger('vitals-store');
  private readonly task = new PeriodicTask('partition maintenance', MAINTENANCE_INTERVAL_MS, () => this.run(), this.log);

  constructor(private readonly repository: ObservationRepository) {}

  async onModuleInit(): Promise<void> {
    await this.task.runNow();
    this.task.start();
  }

  private async run(): Promise<void> {
    const created = await this.repository.ensurePartitions(new Date());
    if (created > 0) this.log.info('observation partitions created', { created });
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }
}
