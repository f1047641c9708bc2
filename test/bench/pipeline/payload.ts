/**
 * What each bench device sends: one message carrying three vitals (a blood-pressure panel of
 * systolic and diastolic, and the pulse), as a BP cuff does (docs/device-contract.md).
 */
export interface PayloadPlan {
  /** Share of messages with a crisis-range pressure (BP-01: SBP > 180), each raising a recheck in the worklist. */
  readonly outOfRangeShare: number;
}

/** Rows each message stores: systolic, diastolic, pulse. */
export const VITALS_PER_MESSAGE = 3;
/** Observation records each message becomes (the BP panel with two components, and the pulse): what the rules engine counts. */
export const READINGS_PER_MESSAGE = 2;

/**
 * Deterministic per (device, sequence): reruns with the same fleet send the same values. The store and
 * the engine drop a panel with the same values from the same device within 60 s as a hub's resend
 * (DQ-03), so no panel of a device repeats within 450 messages (2.5 minutes at 3 messages a second):
 * the pressure walks 1,200 distinct (systolic, diastolic) pairs, the pulse 450 values at 0.1 /min.
 */
export function benchPayload(plan: PayloadPlan, runTag: string, device: number, seq: number, dueAtMs: number): string {
  const k = seq + device * 7;
  const crisis = isOutOfRange(plan, device, seq);
  const pair = k % 1200;
  const systolic = (crisis ? 185 : 100) + (pair % 40);
  const diastolic = 60 + Math.floor(pair / 40);
  const pulse = (550 + (k % 450)) / 10;
  return (
    `{"messageId":"${runTag}-${device}-${seq}","measuredAt":"${new Date(dueAtMs).toISOString()}",` +
    `"readings":[{"type":"blood_pressure","systolic":${systolic},"diastolic":${diastolic},"unit":"mmHg"},{"type":"heart_rate","value":${pulse},"unit":"/min"}]}`
  );
}

/** A stable pseudo-random pick (no shared RNG state between the generator and the bench's accounting). */
export function isOutOfRange(plan: PayloadPlan, device: number, seq: number): boolean {
  if (plan.outOfRangeShare <= 0) return false;
  let h = Math.imul(device + 1, 0x9e3779b1) ^ Math.imul(seq + 1, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 0x1_0000_0000 < plan.outOfRangeShare;
}

/** The device index and sequence number a bench messageId carries, or null for another run's id. */
export function parseBenchMessageId(runTag: string, messageId: string): { device: number; seq: number } | null {
  if (!messageId.startsWith(`${runTag}-`)) return null;
  const [device, seq] = messageId.slice(runTag.length + 1).split('-').map(Number);
  return Number.isInteger(device) && Number.isInteger(seq) ? { device: device!, seq: seq! } : null;
}
