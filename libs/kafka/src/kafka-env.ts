import { z } from 'zod';

/** The Kafka settings every service reads from its environment (spread into its config schema). */
export const KafkaEnv = {
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((s) => s.split(',').map((b) => b.trim())),
  /**
   * Where a consumer group with no committed offsets starts: "earliest" (every reading
   * ever written is processed) in production; tests with throwaway groups use "latest".
   */
  KAFKA_NEW_GROUP_START: z.enum(['earliest', 'latest']).default('earliest'),
};
