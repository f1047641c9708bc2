import { randomBytes, randomUUID } from 'node:crypto';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { KeyedPartitioner, murmur2 } from './partitioner';

const metadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0], offlineReplicas: [] }));

describe('KeyedPartitioner', () => {
  const ours = KeyedPartitioner();
  const kafkajs = Partitioners.DefaultPartitioner();
  const keys = [
    ...Array.from({ length: 5_000 }, () => randomUUID()),
    ...Array.from({ length: 1_000 }, (_, i) => `device-${i}-${'x'.repeat(i % 7)}`),
    '', 'a', 'ab', 'abc', 'abcd', 'programme:heart_failure', 'Zoë-Ünïcødé-π', '患者-42',
  ];

  it.each([1, 3, 6, 12, 64])('puts every key on the partition kafkajs (and the Java client) chose, %i partitions', (count) => {
    const partitionMetadata = metadata(count);
    const mismatches = keys.filter(
      (key) => ours({ topic: 't', partitionMetadata, message: { key, value: null } }) !== kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } }),
    );
    expect(mismatches).toEqual([]);
  });

  it('hashes Buffer keys by their bytes, invalid UTF-8 included', () => {
    const partitionMetadata = metadata(12);
    for (let i = 0; i < 1_000; i++) {
      const key = randomBytes(i % 40);
      expect(ours({ topic: 't', partitionMetadata, message: { key, value: null } })).toBe(kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } }));
    }
  });

  it('matches the Java client\'s murmur2 on known values', () => {
    // org.apache.kafka.common.utils.UtilsTest#testMurmur2
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ];
    for (const [key, hash] of cases) expect([key, murmur2(key)]).toEqual([key, hash]);
  });

  it('keeps an explicit partition, and spreads keyless records as kafkajs does', () => {
    const partitionMetadata = metadata(12);
    expect(ours({ topic: 't', partitionMetadata, message: { key: 'k', value: null, partition: 7 } })).toBe(7);
    const keyless = new Set(Array.from({ length: 24 }, () => ours({ topic: 't', partitionMetadata, message: { value: 'v' } })));
    expect(keyless.size).toBe(12);
  });
});
