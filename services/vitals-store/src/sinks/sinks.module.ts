import { Module } from '@nestjs/common';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { KAFKA, KafkaLifecycle, type Kafka } from '@rpm/kafka';
import { JsonLogger } from '@rpm/service-kit';
import { VITALS_STORE_CONFIG, timestreamSettings, type VitalsStoreConfig } from '../config/vitals-store.config';
import { KafkaSinkDeadLetters } from './sink-dead-letters';
import { SECONDARY_SINKS, type TimeSeriesSink } from './time-series-sink';
import { TimestreamSink } from './timestream/timestream-sink';

/** A request that has not answered by then is abandoned and counts as a transient failure (retried within the batch's budget). */
const TIMESTREAM_REQUEST_TIMEOUT_MS = 3_000;
const TIMESTREAM_CONNECTION_TIMEOUT_MS = 2_000;

/**
 * Credentials come from the SDK's default chain (environment, shared profile, container or
 * instance role), never from our configuration. maxAttempts 1: our bounded retry is the only one,
 * so the SDK's own cannot multiply attempts past the batch's time budget.
 */
export function createTimestreamClient(region: string): TimestreamWriteClient {
  return new TimestreamWriteClient({
    region,
    maxAttempts: 1,
    requestHandler: { requestTimeout: TIMESTREAM_REQUEST_TIMEOUT_MS, connectionTimeout: TIMESTREAM_CONNECTION_TIMEOUT_MS },
  });
}

/** The secondary sinks this deployment enabled, each with what it needs; an empty list by default. */
async function secondarySinks(config: VitalsStoreConfig, kafka: Kafka, lifecycle: KafkaLifecycle): Promise<TimeSeriesSink[]> {
  const timestream = timestreamSettings(config);
  if (!timestream) return [];
  const deadLetters = new KafkaSinkDeadLetters(kafka);
  await deadLetters.connect();
  const client = createTimestreamClient(timestream.region);
  // Registered before the consumer starts, so stopped after it: its last batch can still dead-letter.
  lifecycle.onStop(async () => {
    await deadLetters.disconnect();
    client.destroy();
  });
  new JsonLogger('vitals-store').info('timestream sink enabled', { database: timestream.database, table: timestream.table, region: timestream.region });
  return [new TimestreamSink(client, timestream, deadLetters)];
}

@Module({
  providers: [
    {
      provide: SECONDARY_SINKS,
      inject: [VITALS_STORE_CONFIG, KAFKA, KafkaLifecycle],
      useFactory: secondarySinks,
    },
  ],
  exports: [SECONDARY_SINKS],
})
export class SinksModule {}
