/**
 * Kafka's refusals that no retry can mend: the same records are refused again however often they
 * are sent. kafkajs gives them up at once (retriable: false), wrapped in KafkaJSNonRetriableError.
 */
const PERMANENT_PROTOCOL_ERRORS: ReadonlySet<string> = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

/** "path: message; …": why a record fails its topic's schema, on either side of Kafka. */
export function schemaIssues(error: { readonly issues: ReadonlyArray<{ readonly path: PropertyKey[]; readonly message: string }> }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ');
}

/** A record that fails its topic's schema, found before it was sent (BatchingProducer.publish). */
export class RecordSchemaError extends Error {
  constructor(topic: string, issues: string) {
    super(`a record for ${topic} fails its schema: ${issues}`);
    this.name = 'RecordSchemaError';
  }
}

/**
 * Why Kafka will never take these records (a line for a dead letter's `detail`), or null when the
 * error may pass (a broker away, a leader moving): the caller then retries.
 */
export function permanentWriteError(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof RecordSchemaError) return e.message;
    const type = (e as { type?: unknown }).type;
    if (e.name === 'KafkaJSProtocolError' && typeof type === 'string' && PERMANENT_PROTOCOL_ERRORS.has(type)) return `kafka refused the records: ${type}`;
  }
  return null;
}
