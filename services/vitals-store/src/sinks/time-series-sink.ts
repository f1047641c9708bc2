import type { ObservationV1 } from '@rpm/contracts';

/** What one write did. Counts are in the sink's own unit: rows (one per component) for PostgreSQL, records (one per observation) for Timestream. */
export interface SinkWriteResult {
  /** Now held by the sink from this write. */
  readonly written: number;
  /** Already held before (redelivery, resend). Only a sink that can tell says so; Timestream cannot, and counts an identical rewrite as written. */
  readonly duplicates: number;
  /** Refused by the sink or not taken in time, and published to the dead-letter topic. */
  readonly deadLettered: number;
}

/**
 * The port every time-series store implements (docs/adr/0010). `write` resolves once every
 * observation is either durable in the sink or (for a secondary sink) dead-lettered; it must be
 * idempotent, because a Kafka batch can be delivered again. It throws only when neither is
 * possible, and the batch is then redelivered.
 */
export interface TimeSeriesSink {
  /** A short label for logs and metrics: `postgres`, `timestream`. */
  readonly name: string;
  write(observations: readonly ObservationV1[]): Promise<SinkWriteResult>;
}

/** The enabled sinks written after PostgreSQL (none by default). */
export const SECONDARY_SINKS = Symbol('SECONDARY_SINKS');
