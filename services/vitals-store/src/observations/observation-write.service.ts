import { Inject, Injectable } from '@nestjs/common';
import type { ObservationV1 } from '@rpm/contracts';
import { SECONDARY_SINKS, type TimeSeriesSink } from '../sinks/time-series-sink';
import { PostgresSink } from './postgres-sink';

/**
 * A batch of observations into every sink, PostgreSQL first (docs/adr/0010). PostgreSQL is the
 * system of record: if it fails, nothing else is written and the batch is redelivered. The
 * secondary sinks come after, and settle every record themselves (written or dead-lettered), so
 * a secondary store's trouble never stalls the pipeline.
 */
@Injectable()
export class ObservationWriteService {
  constructor(
    private readonly postgres: PostgresSink,
    @Inject(SECONDARY_SINKS) private readonly secondaries: readonly TimeSeriesSink[],
  ) {}

  async write(observations: readonly ObservationV1[]): Promise<void> {
    await this.postgres.write(observations);
    const settled = await Promise.allSettled(this.secondaries.map((sink) => sink.write(observations)));
    // Only a sink that could neither write nor dead-letter throws (Kafka is down): redeliver, both writes are idempotent.
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
  }
}
