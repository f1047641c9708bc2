/**
 * EXPLAIN ANALYZE of the vitals-store's insert for a batch like the bench's: the latest `--messages`
 * stored messages again, one second later, under new messageIds (nothing is kept: rolled back).
 * Usage: node scripts/run-ts.js services/vitals-store/test/explain-insert.ts [--database rpm_bench_pipeline] [--messages 1000] [--runs 3] [--resends] [--plan] [--timing]
 *   [--backlog N]: instead, one wearable's late upload in one batch: N unchanged SpO2 readings 20 s apart
 *   (DQ-03 walks them in order, each against the copies kept before it).
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { ObservationV1 } from '@rpm/contracts';
import { aReading, anObservation } from '@rpm/testing';
import type { DataSource } from 'typeorm';
import { ObservationRepository } from '../src/observations/observation.repository';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};

async function main(): Promise<void> {
  const client = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${arg('database', 'rpm_bench_pipeline')}` });
  await client.connect();
  const messages = Number(arg('messages', '1000'));
  const resends = process.argv.includes('--resends');
  const latest = await client.query<{ patient_id: string; max: Date }>(
    `SELECT patient_id, max(measured_at) AS max FROM observations WHERE measured_at > now() - interval '1 day' GROUP BY 1 LIMIT $1`,
    [messages],
  );
  // Its one statement, explained and rolled back: the plan is kept, nothing is stored.
  let plan = '';
  const explaining = new ObservationRepository({
    query: async (sql: string, params: unknown[]) => {
      await client.query('BEGIN');
      try {
        const res = await client.query(`EXPLAIN (ANALYZE, BUFFERS, TIMING ${process.argv.includes('--timing') ? 'ON' : 'OFF'}) ${sql}`, params);
        plan = res.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      } finally {
        await client.query('ROLLBACK');
      }
      return [{ stored: 0, resent: 0 }];
    },
  } as unknown as DataSource);
  const history = await new ObservationRepository({
    query: async (sql: string, params: unknown[]) => (await client.query(sql, params)).rows,
  } as unknown as DataSource).history(latest.rows.map((r) => r.patient_id), new Date(Date.now() - 86_400_000), new Date(Date.now() + 86_400_000));
  const lastOf = new Map<string, ObservationV1[]>();
  for (const o of history) {
    const mine = lastOf.get(o.patientId) ?? [];
    if (mine.length && mine[0]!.messageId !== o.messageId) mine.length = 0;
    mine.push(o);
    lastOf.set(o.patientId, mine);
  }
  for (let run = 0; run < Number(arg('runs', '3')); run++) {
    const batch: ObservationV1[] = [];
    for (const group of lastOf.values()) {
      const messageId = randomUUID();
      for (const o of group) {
        const shifted = (t: string) => new Date(Date.parse(t) + 1000 * (run + 1)).toISOString();
        // A new measurement: as in the bench, no value repeats a stored one (--resends: each moved by -3..3, so many do).
        const components = o.components.map((c) => ({ ...c, value: resends ? c.value + Math.floor(Math.random() * 7) - 3 : c.value + 0.001 * (run + 1) }));
        batch.push({ ...o, messageId, components, observationId: `${o.deviceId}/${messageId}/${o.type}`, measuredAt: shifted(o.measuredAt), receivedAt: shifted(o.receivedAt) });
      }
    }
    const backlog = Number(arg('backlog', '0'));
    if (backlog > 0) {
      const patientId = randomUUID();
      const deviceId = `wearable-${randomUUID().slice(0, 8)}`;
      const start = Date.now() - backlog * 20_000;
      batch.splice(0, batch.length, ...Array.from({ length: backlog }, (_, i) =>
        anObservation({ patientId, deviceId, reading: aReading({ type: 'spo2', value: 97 }), measuredAt: new Date(start + i * 20_000) }),
      ));
    }
    await explaining.insertBatch(batch);
    const rows = batch.reduce((n, o) => n + o.components.length, 0);
    const total = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1];
    console.log(`run ${run + 1}: ${batch.length} observations, ${rows} rows, execution ${total} ms`);
    if (process.argv.includes('--plan')) console.log(plan);
  }
  await client.end();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
