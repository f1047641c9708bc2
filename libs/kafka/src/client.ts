import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';

/**
 * The one place that knows kafkajs (unmaintained since 2023): everything else uses this
 * library's types, so replacing the client touches only libs/kafka.
 */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
}

export interface KafkaLogSink {
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

// kafkajs log entries can carry message payloads in some errors: keep only safe fields.
const SAFE_LOG_FIELDS = ['broker', 'clientId', 'groupId', 'topic', 'partition', 'offset', 'memberId', 'error', 'retryCount', 'retryTime'];

function logCreatorFor(sink: KafkaLogSink): logCreator {
  return () => (entry: LogEntry) => {
    const context: Record<string, unknown> = { namespace: entry.namespace };
    for (const field of SAFE_LOG_FIELDS) {
      if (!(field in entry.log)) continue;
      const value = (entry.log as Record<string, unknown>)[field];
      // An error raised by a handler can carry its SQL parameters (readings): name and message only.
      context[field] = value instanceof Error ? `${value.name}: ${value.message}` : value;
    }
    if (entry.level <= logLevel.ERROR) sink.error(`kafka: ${entry.log.message}`, context);
    else sink.warn(`kafka: ${entry.log.message}`, context);
  };
}

export function createKafka(settings: KafkaSettings, sink: KafkaLogSink): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    logLevel: logLevel.WARN,
    logCreator: logCreatorFor(sink),
    // Reconnect patiently: a restarting broker must not kill the service.
    retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 5_000 },
    connectionTimeout: 3_000,
  });
}

export type { Kafka };
