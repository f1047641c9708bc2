import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { JsonLogger, PeriodicTask } from '@rpm/service-kit';
import { VITALS_STORE_CONFIG, type VitalsStoreConfig } from '../config/vitals-store.config';
import { ObservationRepository } from './observation.repository';

/** Partitions must exist before readings for a new month arrive: check at boot and twice a day. */
const MAINTENANCE_INTERVAL_MS = 12 * 3600 * 1000;

/** The first instant still kept: the start of the month `months` whole months before the current one (UTC). */
export function retentionCutoff(now: Date, months: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
}

/**
 * The observations table's monthly partitions (docs/adr/0007): created ahead of need, and with a
 * retention policy (VITALS_RETENTION_MONTHS), dropped once wholly past it, each drop logged.
 */
@Injectable()
export class PartitionMaintenance implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new JsonLogger('vitals-store');
  private readonly task = new PeriodicTask('partition maintenance', MAINTENANCE_INTERVAL_MS, () => this.run(), this.log);

  constructor(
    private readonly repository: ObservationRepository,
    @Inject(VITALS_STORE_CONFIG) private readonly config: VitalsStoreConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.task.runNow();
    this.task.start();
  }

  async run(now = new Date()): Promise<void> {
    const created = await this.repository.ensurePartitions(now);
    if (created > 0) this.log.info('observation partitions created', { created });
    const months = this.config.VITALS_RETENTION_MONTHS;
    if (months === undefined) return;
    const cutoff = retentionCutoff(now, months);
    const dropped = await this.repository.dropBefore(cutoff);
    for (const p of dropped.partitions) {
      this.log.warn('observation partition dropped past retention', { partition: p.name, from: p.from, to: p.to, retentionMonths: months });
    }
    if (dropped.defaultRows > 0) {
      this.log.warn('observations in the default partition deleted past retention', { rows: dropped.defaultRows, before: cutoff.toISOString(), retentionMonths: months });
    }
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }
}
