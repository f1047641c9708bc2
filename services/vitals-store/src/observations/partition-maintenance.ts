import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { JsonLogger } from '@rpm/service-kit';
import { ObservationRepository } from './observation.repository';

/** Partitions must exist before readings for a new month arrive: check at boot and twice a day. */
const MAINTENANCE_INTERVAL_MS = 12 * 3600 * 1000;

@Injectable()
export class PartitionMaintenance implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new JsonLogger('vitals-store');
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly repository: ObservationRepository) {}

  async onModuleInit(): Promise<void> {
    await this.run();
    this.timer = setInterval(() => void this.run(), MAINTENANCE_INTERVAL_MS);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    try {
      const created = await this.repository.ensurePartitions(new Date());
      if (created > 0) this.log.info('observation partitions created', { created });
    } catch (error) {
      this.log.error('partition maintenance failed', { error: String(error) });
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
