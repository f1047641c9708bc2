import { createHash } from 'node:crypto';

/** Namespaces the hash so these keys never collide with ids derived the same way for other things. */
const ALERT_KEY_NAMESPACE = 'rpm.alert-key.v1';

/**
 * A name-based UUID: sha256 over the length-prefixed parts, formatted as RFC 4122 with
 * version 5 and variant bits set. Length prefixes mean no choice of parts collides.
 */
export function deterministicUuid(namespace: string, ...parts: string[]): string {
  const name = [namespace, ...parts].map((part) => `${part.length}:${part}`).join('');
  const digest = createHash('sha256').update(name, 'utf8').digest();
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Deterministic alert key over (patient, rule, triggering observation): replaying a
 * reading yields the same key, so the worklist upsert is idempotent.
 */
export function alertKey(patientId: string, ruleId: string, observationId: string): string {
  return deterministicUuid(ALERT_KEY_NAMESPACE, patientId, ruleId, observationId);
}
