import { RejectedRecordsException, ThrottlingException, TimestreamWriteClient, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import { Test } from '@nestjs/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { ObservationV1, Topics, type DeadLetterV1 } from '@rpm/contracts';
import { KafkaModule } from '@rpm/kafka';
import { ConfigModule } from '@rpm/service-kit';
import { anObservation, localTestEnv, newRunId, testKafka, TopicRecorder } from '@rpm/testing';
import { VITALS_STORE_CONFIG, loadVitalsStoreConfig, timestreamSettings } from '../src/config/vitals-store.config';
import { KafkaSinkDeadLetters } from '../src/sinks/sink-dead-letters';
import { SinksModule } from '../src/sinks/sinks.module';
import { SECONDARY_SINKS, type TimeSeriesSink } from '../src/sinks/time-series-sink';
import { TimestreamSink } from '../src/sinks/timestream/timestream-sink';

/**
 * The Timestream sink's dead letters on the real Kafka (in-process: a child process cannot take a
 * mocked AWS client, and there is no AWS here), and the sink module's wiring by configuration.
 */
describe('vitals-store: Timestream dead letters on Kafka', () => {
  const runId = newRunId('int-vsts');
  const kafka = testKafka(runId);
  const deadLetters = new KafkaSinkDeadLetters(kafka);
  const client = new TimestreamWriteClient({ region: 'eu-west-1' });
  const aws = mockClient(client);
  const enabledEnv = { VITALS_TIMESTREAM_ENABLED: 'true', VITALS_TIMESTREAM_DATABASE: 'rpm', VITALS_TIMESTREAM_TABLE: 'observations', AWS_REGION: 'eu-west-1' };
  const settings = timestreamSettings(loadVitalsStoreConfig({ ...enabledEnv, VITALS_TIMESTREAM_MAX_ATTEMPTS: '2' }))!;
  const sink = new TimestreamSink(client, settings, deadLetters, { sleep: async () => undefined, random: () => 0.5, now: Date.now });
  let recorder: TopicRecorder<typeof Topics.ingestDlq.schema>;

  beforeAll(async () => {
    await deadLetters.connect();
    recorder = await TopicRecorder.start(kafka, Topics.ingestDlq, `${runId}-dlq`);
  });

  afterAll(async () => {
    await recorder?.stop();
    await deadLetters.disconnect();
  });

  beforeEach(() => aws.reset());

  const observationsOf = (deviceId: string, count: number): ObservationV1[] => Array.from({ length: count }, (_, i) => anObservation({ deviceId, messageId: `m-${i}` }));
  const payloadOf = (deadLetter: DeadLetterV1) => ObservationV1.parse(JSON.parse(Buffer.from(deadLetter.rawPayloadBase64, 'base64').toString('utf8')));

  it('publishes each rejected record to rpm.ingest.dlq.v1 with its reason, keyed by device, the observation as payload', async () => {
    const deviceId = `${runId}-rejected`;
    const batch = observationsOf(deviceId, 3);
    aws.on(WriteRecordsCommand).rejects(
      new RejectedRecordsException({
        $metadata: {},
        message: 'One or more records have been rejected.',
        RejectedRecords: [{ RecordIndex: 1, Reason: 'A record with the same time and dimensions already exists with a different measure value', ExistingVersion: 1 }],
      }),
    );

    expect(await sink.write(batch)).toEqual({ written: 2, duplicates: 0, deadLettered: 1 });

    const [deadLetter] = await recorder.waitFor((d) => d.deviceId === deviceId, { what: 'the rejected record dead-lettered' });
    expect(deadLetter).toMatchObject({
      reason: 'sink_rejected',
      detail: 'timestream: A record with the same time and dimensions already exists with a different measure value (existing version 1)',
      messageId: 'm-1',
      mqttTopic: `rpm/devices/${deviceId}/readings`,
    });
    expect(payloadOf(deadLetter!)).toEqual(batch[1]);
    expect(recorder.records.filter((r) => r.value?.deviceId === deviceId).map((r) => r.key)).toEqual([deviceId]);
  });

  it('publishes every record of a request whose retries ran out, with the error as reason', async () => {
    const deviceId = `${runId}-throttled`;
    const batch = observationsOf(deviceId, 2);
    aws.on(WriteRecordsCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'Rate exceeded', Message: 'Rate exceeded' }));

    expect(await sink.write(batch)).toEqual({ written: 0, duplicates: 0, deadLettered: 2 });

    const letters = await recorder.waitFor((d) => d.deviceId === deviceId, { count: 2, what: 'both records dead-lettered' });
    expect(letters.map((d) => d.reason)).toEqual(['sink_write_failed', 'sink_write_failed']);
    expect(letters[0]!.detail).toBe('timestream: ThrottlingException after 2 attempt(s), retries exhausted: Rate exceeded');
    expect(letters.map(payloadOf)).toEqual(batch);
  });

  describe('SinksModule', () => {
    /** The sink module inside the global modules a service's AppModule gives it: its config, and Kafka. */
    const secondarySinksFor = async (env: Record<string, string>): Promise<{ sinks: TimeSeriesSink[]; close: () => Promise<void> }> => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ConfigModule.forValue(VITALS_STORE_CONFIG, loadVitalsStoreConfig(env)),
          KafkaModule.forRoot({ brokers: localTestEnv().KAFKA_BROKERS.split(','), clientId: `${runId}-module` }),
          SinksModule,
        ],
      }).compile();
      return { sinks: moduleRef.get<TimeSeriesSink[]>(SECONDARY_SINKS), close: () => moduleRef.close() };
    };

    it('adds no secondary sink by default, and the Timestream sink (its dead-letter producer connected) when enabled', async () => {
      const off = await secondarySinksFor({});
      expect(off.sinks).toEqual([]);
      await off.close();

      const on = await secondarySinksFor(enabledEnv);
      expect(on.sinks.map((s) => s.name)).toEqual(['timestream']);
      expect(on.sinks[0]).toBeInstanceOf(TimestreamSink);
      await on.close();
    });
  });
});
