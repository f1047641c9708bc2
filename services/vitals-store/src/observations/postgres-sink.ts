import { Injectable } from '@nestjs/common';
import type { ObservationV1 } from '@rpm/contracts';
import { counter, histogram } from '@rpm/service-kit';
import type { SinkWriteResult, TimeSeriesSink } from '../sinks/time-series-sink';
import { ObservationRepository } from './observation.repository';

const metrics = {
  stored: counter('rpm_vitals_rows_stored_total', 'Observation rows newly stored'),
  duplicates: counter('rpm_vitals_rows_duplicate_total', 'Observation rows already stored (redelivery, or a resend with the same messageId)'),
  resent: counter('rpm_vitals_rows_resent_total', 'Rows dropped as a resend under a new messageId: same device, code and value within 60 s (DQ-03)'),
  batchSize: histogram('rpm_vitals_write_batch_size', 'Readings per database write', [1, 5, 10, 50, 100, 500, 1000, 5000]),
  writeSeconds: histogram('rpm_vitals_write_seconds', 'Database write latency per batch', [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]),
};

/**
 * The system of record, always on: one row per component, with the rollups, in one statement
 * (ObservationRepository.insertBatch). A failure throws, and the batch is not committed.
 */
@Injectable()
export class PostgresSink implements TimeSeriesSink {
  readonly name = 'postgres';

  constructor(private readonly repository: ObservationRepository) {}

  async write(observations: readonly ObservationV1[]): Promise<SinkWriteResult> {
    const rows = observations.reduce((n, o) => n + o.components.length, 0);
    metrics.batchSize.observe(observations.length);
    const stopTimer = metrics.writeSeconds.startTimer();
    const { stored, resent } = await this.repository.insertBatch(observations);
    stopTimer();
    metrics.stored.inc(stored);
    metrics.resent.inc(resent);
    metrics.duplicates.inc(rows - stored - resent);
    return { written: stored, duplicates: rows - stored, deadLettered: 0 };
  }
}
