import { Partitioners, type ICustomPartitioner } from 'kafkajs';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/**
 * Kafka's murmur2 (the Java client's `Utils.murmur2`) in 32-bit integer arithmetic. kafkajs'
 * own does the same in 64-bit `Long` objects, several allocations per four bytes of key: with its
 * partitioner it was ~10 % of the gateway's busy time at 2,700 messages/s (docs/performance.md).
 */
export function murmur2(key: string | Buffer): number {
  if (typeof key === 'string' && isAscii(key)) return murmur2Of(key.length, (i) => key.charCodeAt(i));
  const data = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  return murmur2Of(data.length, (i) => data[i]!);
}

function murmur2Of(length: number, byteAt: (i: number) => number): number {
  let h = SEED ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = byteAt(i4) | (byteAt(i4 + 1) << 8) | (byteAt(i4 + 2) << 16) | (byteAt(i4 + 3) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= byteAt(tail + 2) << 16;
    if (rest >= 2) h ^= byteAt(tail + 1) << 8;
    h ^= byteAt(tail);
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

/** Our keys are UUIDs and device ids: ASCII, so their UTF-8 bytes are their char codes. */
function isAscii(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * The partition of a keyed record, exactly as kafkajs' DefaultPartitioner (and the Java client)
 * choose it: every record of a patient stays on the partition it always had. Records without a
 * key or with an explicit partition are left to kafkajs' own.
 */
export const KeyedPartitioner: ICustomPartitioner = () => {
  const kafkajs = Partitioners.DefaultPartitioner();
  return (args) => {
    const { message, partitionMetadata } = args;
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    if (message.key === null || message.key === undefined) return kafkajs(args);
    return (murmur2(message.key) & 0x7fffffff) % partitionMetadata.length;
  };
};
