import type { Pool } from 'pg';
import { percentiles, type Percentiles } from '../worklist/report';
import type { GeneratorResult } from './load-generator';
import { isOutOfRange, parseBenchMessageId, VITALS_PER_MESSAGE, type PayloadPlan } from './payload';

/** What the devices' own log (the generator's PUBACK bitmap) says against what PostgreSQL holds. */
export interface StoreAccounting {
  readonly acknowledged: number;
  /** Messages with all three vitals stored. */
  readonly stored: number;
  /** Acknowledged but never stored (no row at all). */
  readonly lost: number;
  /** Acknowledged, some vitals stored but not all. */
  readonly partlyStored: number;
  /** More rows than vitals (observation_keys should make this impossible). */
  readonly duplicated: number;
  readonly publishToStoredMs: Percentiles;
  /** Per second of the schedule (index 0 = the run's first second): stored-latency p50 and p99, ms. */
  readonly perSecond: { p50: number[]; p99: number[] };
}

/**
 * Reads the run's rows back: per message its row count and when it was stored. `stored_at` is
 * the inserting transaction's start (`now()`), so the figure leaves out the commit itself (a few ms).
 */
export async function accountStored(db: Pool, runTag: string, result: GeneratorResult, plan: { durationS: number }): Promise<StoreAccounting> {
  const from = new Date(result.startAt - 1000);
  const to = new Date(result.startAt + plan.durationS * 1000 + 60_000);
  const { rows } = await db.query<{ message_id: string; n: number; due: number; stored: number }>(
    `SELECT message_id, count(*)::int AS n, extract(epoch FROM min(measured_at)) * 1000 AS due, extract(epoch FROM max(stored_at)) * 1000 AS stored
       FROM observations
      WHERE measured_at >= $1 AND measured_at < $2 AND message_id LIKE $3
      GROUP BY message_id`,
    [from, to, `${runTag}-%`],
  );
  const acked = Buffer.from(result.ackedBitmapBase64, 'base64');
  const rowsOf = new Uint8Array(acked.length);
  const seconds = Math.ceil(plan.durationS);
  const bySecond: number[][] = Array.from({ length: seconds }, () => []);
  const latencies: number[] = [];
  let duplicated = 0;
  for (const row of rows) {
    const id = parseBenchMessageId(runTag, row.message_id);
    if (!id || id.device >= result.devices || id.seq >= result.messagesPerDevice) continue;
    const index = id.device * result.messagesPerDevice + id.seq;
    rowsOf[index] = Math.min(255, row.n);
    if (row.n > VITALS_PER_MESSAGE) duplicated++;
    const latency = Number(row.stored) - Number(row.due);
    latencies.push(latency);
    const second = Math.floor((Number(row.due) - result.startAt) / 1000);
    if (second >= 0 && second < seconds) bySecond[second]!.push(latency);
  }
  let acknowledged = 0;
  let stored = 0;
  let lost = 0;
  let partlyStored = 0;
  for (let i = 0; i < acked.length; i++) {
    const n = rowsOf[i] ?? 0;
    if (n >= VITALS_PER_MESSAGE) stored++;
    if (!acked[i]) continue;
    acknowledged++;
    if (n === 0) lost++;
    else if (n < VITALS_PER_MESSAGE) partlyStored++;
  }
  const perSecond = bySecond.map((values) => percentiles(values));
  return {
    acknowledged,
    stored,
    lost,
    partlyStored,
    duplicated,
    publishToStoredMs: percentiles(latencies),
    perSecond: { p50: perSecond.map((p) => p.p50), p99: perSecond.map((p) => p.p99) },
  };
}

export interface AlertAccounting {
  /** Acknowledged out-of-range messages that were the first of their device in the run: each should raise one alert. */
  readonly expected: number;
  /** New alerts of the fleet's patients raised from this run's readings. */
  readonly raised: number;
  /** Of those, seen on the worklist stream. */
  readonly seenOnWorklist: number;
  readonly publishToAlertMs: Percentiles;
  readonly perSecond: { p50: number[]; p99: number[] };
}

/** Publish-to-worklist: the stream's arrival time minus the due time of the reading that raised the alert. */
export async function accountAlerts(db: Pool, raisedAt: ReadonlyMap<string, number>, result: GeneratorResult, plan: PayloadPlan & { durationS: number }, patientIds: readonly string[]): Promise<AlertAccounting> {
  const acked = Buffer.from(result.ackedBitmapBase64, 'base64');
  let expected = 0;
  for (let device = 0; device < result.devices; device++) {
    for (let seq = 0; seq < result.messagesPerDevice; seq++) {
      if (!isOutOfRange(plan, device, seq)) continue;
      if (acked[device * result.messagesPerDevice + seq]) expected++;
      break;
    }
  }
  const { rows } = await db.query<{ id: string; measured: number }>(
    `SELECT id, extract(epoch FROM measured_at) * 1000 AS measured FROM alerts
      WHERE patient_id = ANY($1::uuid[]) AND measured_at >= $2 AND rule_id = 'BP-01'`,
    [patientIds, new Date(result.startAt - 1000)],
  );
  const seconds = Math.ceil(plan.durationS);
  const bySecond: number[][] = Array.from({ length: seconds }, () => []);
  const latencies: number[] = [];
  for (const row of rows) {
    const seenAt = raisedAt.get(row.id);
    if (seenAt === undefined) continue;
    const latency = seenAt - Number(row.measured);
    latencies.push(latency);
    const second = Math.floor((Number(row.measured) - result.startAt) / 1000);
    if (second >= 0 && second < seconds) bySecond[second]!.push(latency);
  }
  const perSecond = bySecond.map((values) => percentiles(values));
  return {
    expected,
    raised: rows.length,
    seenOnWorklist: latencies.length,
    publishToAlertMs: percentiles(latencies),
    perSecond: { p50: perSecond.map((p) => p.p50), p99: perSecond.map((p) => p.p99) },
  };
}

/**
 * Alerts left open by earlier runs would absorb this run's breaches (one live alert per patient
 * and rule), so the bench database's open alerts are resolved before a run. Bench database only.
 */
export async function resolveOpenBenchAlerts(db: Pool, patientIds: readonly string[]): Promise<number> {
  const res = await db.query(
    `UPDATE alerts SET status = 'resolved', resolved_at = now(), resolved_by = 'bench-reset', disposition = NULL, updated_at = now()
      WHERE status <> 'resolved' AND patient_id = ANY($1::uuid[])`,
    [patientIds],
  );
  return res.rowCount ?? 0;
}
