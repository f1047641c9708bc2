import { createHash } from 'node:crypto';

/** Namespaces the hash so these keys never collide with ids derived the same way for other things. */
const ALERT_KEY_NAMESPACE = 'rpm.alert-key.v1';

/**
 * Deterministic alert key: sha256 over (patient, rule, triggering observation), formatted
 * as an RFC 4122 UUID with version 5 and variant bits set (name-based, as in v5, but with
 * SHA-256). Replaying a reading yields the same key, so the worklist upsert is idempotent.
 */
export function alertKey(patientId: string, ruleId: string, observationId: string): string {
  // Length-prefixed parts: no choice of ids can make two different triples hash the same input.
  const name = [ALERT_KEY_NAMESPACE, patientId, ruleId, observationId].map((part) => `${part.length}:${part}`).join('');
  const digest = createHash('sha256').update(name, 'utf8').digest();
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
