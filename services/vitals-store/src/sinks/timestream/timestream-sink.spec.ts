import {
  InternalServerException,
  RejectedRecordsException,
  ThrottlingException,
  TimestreamWriteClient,
  ValidationException,
  WriteRecordsCommand,
} from '@aws-sdk/client-timestream-write';
import { mockClient } from 'aws-sdk-client-mock';
import type { ObservationV1 } from '@rpm/contracts';
import { anObservation } from '@rpm/testing';
import type { TimestreamSettings } from '../../config/vitals-store.config';
import type { SinkDeadLetter, SinkDeadLetters } from '../sink-dead-letters';
import { BATCH_TIME_BUDGET_MS, TimestreamSink, isRetryableTimestreamError } from './timestream-sink';

const settings: TimestreamSettings = { database: 'rpm', table: 'observations', region: 'eu-west-1', maxAttempts: 3, backoffBaseMs: 100 };
const $metadata = {};

/** Dead letters kept in memory; `failWith` makes the publish fail as if Kafka were down. */
class RecordedDeadLetters implements SinkDeadLetters {
  readonly published: SinkDeadLetter[] = [];
  failWith: Error | null = null;
  async publish(deadLetters: readonly SinkDeadLetter[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.published.push(...deadLetters);
  }
}

describe('TimestreamSink', () => {
  const client = new TimestreamWriteClient({ region: settings.region });
  const aws = mockClient(client);
  let deadLetters: RecordedDeadLetters;
  let sink: TimestreamSink;
  let waits: number[];
  let clock: number;

  beforeEach(() => {
    aws.reset();
    deadLetters = new RecordedDeadLetters();
    waits = [];
    clock = 0;
    // No real waiting and no dice: a wait moves the fake clock, and jitter takes half the ceiling.
    sink = new TimestreamSink(client, settings, deadLetters, {
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
      random: () => 0.5,
      now: () => clock,
    });
  });

  const observations = (count: number): ObservationV1[] => Array.from({ length: count }, (_, i) => anObservation({ messageId: `m-${i}` }));
  const sentRecords = () => aws.commandCalls(WriteRecordsCommand).map((call) => call.args[0].input.Records ?? []);
  const messageIdOf = (record: { MeasureValues?: { Name?: string; Value?: string }[] }) => record.MeasureValues?.find((m) => m.Name === 'message_id')?.Value;

  it('writes 250 observations in three requests of 100, 100 and 50 records, in order, to the configured table', async () => {
    aws.on(WriteRecordsCommand).resolves({ RecordsIngested: { Total: 100, MemoryStore: 100, MagneticStore: 0 } });
    const batch = observations(250);

    const result = await sink.write(batch);

    expect(sentRecords().map((records) => records.length)).toEqual([100, 100, 50]);
    expect(sentRecords().flat().map(messageIdOf)).toEqual(batch.map((o) => o.messageId));
    for (const call of aws.commandCalls(WriteRecordsCommand)) {
      expect(call.args[0].input).toMatchObject({ DatabaseName: 'rpm', TableName: 'observations', CommonAttributes: { MeasureValueType: 'MULTI', TimeUnit: 'MILLISECONDS', Version: 1 } });
    }
    expect(result).toEqual({ written: 250, duplicates: 0, deadLettered: 0 });
    expect(deadLetters.published).toEqual([]);
  });

  it('retries a throttled request with growing, jittered waits until it goes through', async () => {
    aws
      .on(WriteRecordsCommand)
      .rejectsOnce(new ThrottlingException({ $metadata, message: 'Rate exceeded', Message: 'Rate exceeded' }))
      .rejectsOnce(new InternalServerException({ $metadata, message: 'try again', Message: 'try again' }))
      .resolves({});

    const result = await sink.write(observations(3));

    expect(aws.commandCalls(WriteRecordsCommand)).toHaveLength(3);
    expect(waits).toEqual([50, 100]); // half of 100 ms, then half of 200 ms
    expect(result).toEqual({ written: 3, duplicates: 0, deadLettered: 0 });
    expect(deadLetters.published).toEqual([]);
  });

  it('dead-letters the records with the error once retries are exhausted, and does not block on the rest of the batch', async () => {
    aws.on(WriteRecordsCommand).rejects(new ThrottlingException({ $metadata, message: 'Rate exceeded', Message: 'Rate exceeded' }));
    const batch = observations(150);

    const result = await sink.write(batch);

    // maxAttempts 3 for the first request; the second is not attempted: Timestream is struggling.
    expect(aws.commandCalls(WriteRecordsCommand)).toHaveLength(3);
    expect(waits).toEqual([50, 100]);
    expect(result).toEqual({ written: 0, duplicates: 0, deadLettered: 150 });
    expect(deadLetters.published.map((d) => d.observation)).toEqual(batch);
    expect(new Set(deadLetters.published.map((d) => d.reason))).toEqual(new Set(['sink_write_failed']));
    expect(deadLetters.published[0]!.detail).toBe('timestream: ThrottlingException after 3 attempt(s), retries exhausted: Rate exceeded');
    expect(deadLetters.published[100]!.detail).toBe('timestream: not attempted, an earlier request of this batch ran out of retries');
  });

  it('dead-letters each rejected record with its reason and counts the rest of the request written', async () => {
    aws.on(WriteRecordsCommand).rejectsOnce(
      new RejectedRecordsException({
        $metadata,
        message: 'One or more records have been rejected. See RejectedRecords for details.',
        RejectedRecords: [
          { RecordIndex: 1, Reason: 'A record with the same time and dimensions already exists with a different measure value', ExistingVersion: 1 },
          { RecordIndex: 3, Reason: 'The record timestamp is outside the time range of the data ingestion window' },
        ],
      }),
    );
    const batch = observations(5);

    const result = await sink.write(batch);

    expect(aws.commandCalls(WriteRecordsCommand)).toHaveLength(1); // rejections are final: no retry
    expect(result).toEqual({ written: 3, duplicates: 0, deadLettered: 2 });
    expect(deadLetters.published).toEqual([
      { observation: batch[1], reason: 'sink_rejected', detail: 'timestream: A record with the same time and dimensions already exists with a different measure value (existing version 1)' },
      { observation: batch[3], reason: 'sink_rejected', detail: 'timestream: The record timestamp is outside the time range of the data ingestion window' },
    ]);
  });

  it('maps a rejection in a later request to the observation at that index of the request, not of the batch', async () => {
    aws
      .on(WriteRecordsCommand)
      .resolvesOnce({})
      .rejectsOnce(new RejectedRecordsException({ $metadata, message: 'rejected', RejectedRecords: [{ RecordIndex: 0, Reason: 'too big' }] }));
    const batch = observations(120);

    const result = await sink.write(batch);

    expect(result).toEqual({ written: 119, duplicates: 0, deadLettered: 1 });
    expect(deadLetters.published.map((d) => d.observation)).toEqual([batch[100]]);
  });

  it('does not retry an error that says the request is wrong, dead-letters its records and goes on with the next request', async () => {
    aws
      .on(WriteRecordsCommand)
      .rejectsOnce(new ValidationException({ $metadata: { httpStatusCode: 400 }, message: 'invalid measure', Message: 'invalid measure' }))
      .resolves({});
    const batch = observations(130);

    const result = await sink.write(batch);

    expect(aws.commandCalls(WriteRecordsCommand)).toHaveLength(2);
    expect(waits).toEqual([]);
    expect(result).toEqual({ written: 30, duplicates: 0, deadLettered: 100 });
    expect(deadLetters.published.map((d) => d.observation)).toEqual(batch.slice(0, 100));
    expect(deadLetters.published[0]).toMatchObject({ reason: 'sink_write_failed', detail: 'timestream: ValidationException after 1 attempt(s): invalid measure' });
  });

  it('stops retrying when the batch has spent its time budget, so the consumer keeps its group membership', async () => {
    aws.on(WriteRecordsCommand).callsFake(async () => {
      clock += BATCH_TIME_BUDGET_MS; // a request that took the whole budget
      throw new ThrottlingException({ $metadata, message: 'Rate exceeded', Message: 'Rate exceeded' });
    });

    const result = await sink.write(observations(2));

    expect(aws.commandCalls(WriteRecordsCommand)).toHaveLength(1);
    expect(result.deadLettered).toBe(2);
  });

  it('throws when the dead letters cannot be published, so the batch is redelivered rather than lost', async () => {
    aws.on(WriteRecordsCommand).rejects(new ValidationException({ $metadata: { httpStatusCode: 400 }, message: 'invalid', Message: 'invalid' }));
    deadLetters.failWith = new Error('kafka unavailable');

    await expect(sink.write(observations(2))).rejects.toThrow('kafka unavailable');
  });

  it('sends nothing for an empty batch', async () => {
    expect(await sink.write([])).toEqual({ written: 0, duplicates: 0, deadLettered: 0 });
    expect(aws.commandCalls(WriteRecordsCommand)).toHaveLength(0);
  });
});

describe('isRetryableTimestreamError', () => {
  it.each<[string, unknown, boolean]>([
    ['throttling', new ThrottlingException({ $metadata, message: '', Message: '' }), true],
    ['internal server error', new InternalServerException({ $metadata, message: '', Message: '' }), true],
    ['any 5xx answer', Object.assign(new Error('bad gateway'), { name: 'Unknown', $fault: 'server', $metadata: { httpStatusCode: 502 } }), true],
    ['no answer at all (connection reset, timeout)', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    ['validation', new ValidationException({ $metadata: { httpStatusCode: 400 }, message: '', Message: '' }), false],
    ['rejected records', new RejectedRecordsException({ $metadata: { httpStatusCode: 419 }, message: '' }), false],
    ['access denied', Object.assign(new Error('denied'), { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 403 } }), false],
  ])('%s: retry %s', (_what, error, retryable) => {
    expect(isRetryableTimestreamError(error)).toBe(retryable);
  });
});
