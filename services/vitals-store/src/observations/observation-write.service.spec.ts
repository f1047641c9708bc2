import { TimestreamWriteClient, ValidationException, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import { mockClient } from 'aws-sdk-client-mock';
import type { ObservationV1 } from '@rpm/contracts';
import { anObservation } from '@rpm/testing';
import type { SinkDeadLetter, SinkDeadLetters } from '../sinks/sink-dead-letters';
import type { SinkWriteResult, TimeSeriesSink } from '../sinks/time-series-sink';
import { TimestreamSink } from '../sinks/timestream/timestream-sink';
import { ObservationWriteService } from './observation-write.service';
import type { PostgresSink } from './postgres-sink';

const done: SinkWriteResult = { written: 1, duplicates: 0, deadLettered: 0 };

/** A sink that notes, in a shared journal, when each write started and ended. */
function aJournalingSink(name: string, journal: string[], behaviour: () => Promise<SinkWriteResult> = async () => done): TimeSeriesSink & { batches: ObservationV1[][] } {
  const batches: ObservationV1[][] = [];
  return {
    name,
    batches,
    async write(observations) {
      journal.push(`${name} start`);
      batches.push([...observations]);
      const result = await behaviour();
      journal.push(`${name} done`);
      return result;
    },
  };
}

const asPostgresSink = (sink: TimeSeriesSink): PostgresSink => sink as PostgresSink;

describe('ObservationWriteService', () => {
  const batch = [anObservation(), anObservation()];

  it('writes PostgreSQL first and the secondary sinks only once PostgreSQL has the batch', async () => {
    const journal: string[] = [];
    const postgres = aJournalingSink('postgres', journal);
    const timestream = aJournalingSink('timestream', journal);

    await new ObservationWriteService(asPostgresSink(postgres), [timestream]).write(batch);

    expect(journal).toEqual(['postgres start', 'postgres done', 'timestream start', 'timestream done']);
    expect(timestream.batches).toEqual([batch]);
  });

  it('writes nothing else and fails the batch (no commit, redelivery) when PostgreSQL fails', async () => {
    const journal: string[] = [];
    const postgres = aJournalingSink('postgres', journal, () => Promise.reject(new Error('database down')));
    const timestream = aJournalingSink('timestream', journal);

    await expect(new ObservationWriteService(asPostgresSink(postgres), [timestream]).write(batch)).rejects.toThrow('database down');
    expect(timestream.batches).toEqual([]);
  });

  it('with no secondary sink enabled (the default), writes PostgreSQL only', async () => {
    const postgres = aJournalingSink('postgres', []);
    await new ObservationWriteService(asPostgresSink(postgres), []).write(batch);
    expect(postgres.batches).toEqual([batch]);
  });

  describe('with the real Timestream sink over a mocked AWS client', () => {
    const client = new TimestreamWriteClient({ region: 'eu-west-1' });
    const aws = mockClient(client);
    const published: SinkDeadLetter[] = [];
    let kafkaDown = false;
    const deadLetters: SinkDeadLetters = {
      async publish(letters) {
        if (kafkaDown) throw new Error('kafka unavailable');
        published.push(...letters);
      },
    };
    const settings = { database: 'rpm', table: 'observations', region: 'eu-west-1', maxAttempts: 3, backoffBaseMs: 100 };
    const timestream = new TimestreamSink(client, settings, deadLetters, { sleep: async () => undefined, random: () => 0.5, now: () => 0 });

    beforeEach(() => {
      aws.reset();
      published.length = 0;
      kafkaDown = false;
    });

    it('a Timestream failure neither loses the PostgreSQL write nor blocks the commit: the batch resolves, its records dead-lettered', async () => {
      aws.on(WriteRecordsCommand).rejects(new ValidationException({ $metadata: { httpStatusCode: 400 }, message: 'table schema mismatch', Message: 'table schema mismatch' }));
      const postgres = aJournalingSink('postgres', []);

      await expect(new ObservationWriteService(asPostgresSink(postgres), [timestream]).write(batch)).resolves.toBeUndefined();

      expect(postgres.batches).toEqual([batch]);
      expect(published.map((d) => d.observation)).toEqual(batch);
    });

    it('fails the batch only when its dead letters cannot reach Kafka either; PostgreSQL already has it, and the redelivery is idempotent', async () => {
      aws.on(WriteRecordsCommand).rejects(new ValidationException({ $metadata: { httpStatusCode: 400 }, message: 'invalid', Message: 'invalid' }));
      kafkaDown = true;
      const postgres = aJournalingSink('postgres', []);

      await expect(new ObservationWriteService(asPostgresSink(postgres), [timestream]).write(batch)).rejects.toThrow('kafka unavailable');
      expect(postgres.batches).toEqual([batch]);
    });
  });
});
