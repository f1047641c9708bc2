/**
 * npm run bench:store: the time-series store with a year of readings for 10,000 patients (issue 6,
 * section 1; target: 30 days of one vital for one patient in under 50 ms at p95). Loads its own
 * database, rpm_bench (kept between runs: a second run with the same size reuses it; --reload
 * loads again), starts a real vitals-store on it, and times the series queries through its HTTP
 * query API (what care-api calls) and the write path (rpm.observations.v1 -> stored, with the
 * rollups). Prints figures and writes them to .data/bench/store-<time>.json (last line: the path);
 * asserts nothing.
 *
 * Options: --patients N (default 10000) --days D (default 365) --queries Q (default 500) --reload
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Client } from 'pg';
import { Topics, type ObservationSeriesResponse } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { ApiClient, aReading, anObservation, newRunId, startServiceUnderTest, testKafka } from '@rpm/testing';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const PATIENTS = arg('patients', 10_000);
const DAYS = arg('days', 365);
const QUERIES = arg('queries', 500);
const RELOAD = process.argv.includes('--reload');
const SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_URL = 'postgres://postgres@127.0.0.1:5432/rpm_bench';
const DAY_MS = 86_400_000;
/** The data ends at the start of today (UTC); the queries read the last 30 days of it. */
const END = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
const START = new Date(END.getTime() - DAYS * DAY_MS);
const SYSTOLIC = '8480-6';
const VITALS_PORT = 14096;
const WRITES = 20_000;

const patientId = (n: number): string => {
  const hex = (n + 1).toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
};

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (ns: bigint): number => Number(ns) / 1e6;

async function ensureDatabase(): Promise<void> {
  const server = new Client({ connectionString: SERVER_URL });
  await server.connect();
  const exists = await server.query(`SELECT 1 FROM pg_database WHERE datname = 'rpm_bench'`);
  if (exists.rowCount === 0) await server.query(`CREATE DATABASE rpm_bench`);
  await server.end();
}

/**
 * A year of daily blood pressure (two rows), heart rate and weight per patient, generated in the
 * server month by month (one statement each), then the rollups built from it as the migration does.
 */
async function load(db: Client): Promise<void> {
  const [meta] = (await db.query(`SELECT patients, days, loaded_until FROM bench_meta`).catch(() => ({ rows: [] }))).rows as { patients: number; days: number; loaded_until: Date }[];
  if (!RELOAD && meta && meta.patients === PATIENTS && meta.days === DAYS) {
    // Reused: move the window to where the data is, so that the queries read the same shape.
    END.setTime(meta.loaded_until.getTime());
    START.setTime(END.getTime() - DAYS * DAY_MS);
    console.log(`store: reusing rpm_bench (${PATIENTS} patients × ${DAYS} days, up to ${END.toISOString().slice(0, 10)}); --reload loads again`);
    return;
  }
  const t0 = process.hrtime.bigint();
  await db.query(`TRUNCATE observations, observation_keys, observation_rollups_hourly, observation_rollups_daily`);
  await db.query(`DROP TABLE IF EXISTS bench_meta`);
  await db.query(`SELECT rpm_ensure_observation_partitions($1::date, $2)`, [START.toISOString().slice(0, 10), Math.ceil(DAYS / 28) + 2]);
  for (let from = START.getTime(); from < END.getTime(); from += 30 * DAY_MS) {
    const to = Math.min(END.getTime(), from + 30 * DAY_MS);
    await db.query(
      `INSERT INTO observations (patient_id, device_id, message_id, code, panel_code, value, unit, original_value, original_unit, measured_at, measured_at_offset, received_at)
       SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(n + 1), 12, '0'))::uuid, 'bench-' || n, to_char(d, 'YYYYMMDD') || '-' || c.code, c.code, c.panel,
              round((c.base + (random() - 0.5) * c.spread)::numeric, 1), c.unit, round((c.base + (random() - 0.5) * c.spread)::numeric, 1), c.unit,
              d + make_interval(hours => 6 + n % 14), '+00:00', d + make_interval(hours => 6 + n % 14, secs => 5)
         FROM generate_series(0, $1 - 1) n
        CROSS JOIN generate_series($2::timestamptz, $3::timestamptz - interval '1 day', interval '1 day') d
        CROSS JOIN (VALUES ('8480-6', '85354-9', 'mm[Hg]', 132, 30), ('8462-4', '85354-9', 'mm[Hg]', 82, 16),
                           ('8867-4', '8867-4', '/min', 74, 30), ('29463-7', '29463-7', 'kg', 82, 6)) c(code, panel, unit, base, spread)`,
      [PATIENTS, new Date(from), new Date(to)],
    );
    process.stdout.write(`\rstore: loading ${new Date(to).toISOString().slice(0, 10)} (${(ms(process.hrtime.bigint() - t0) / 1000).toFixed(0)} s)`);
  }
  const loaded = process.hrtime.bigint();
  for (const [table, unit] of [['observation_rollups_hourly', 'hour'], ['observation_rollups_daily', 'day']] as const) {
    await db.query(`INSERT INTO ${table} (patient_id, code, bucket, unit, min, max, sum, count)
                    SELECT patient_id, code, date_trunc('${unit}', measured_at, 'UTC'), min(unit), min(value), max(value), sum(value), count(*) FROM observations GROUP BY 1, 2, 3`);
  }
  await db.query(`ANALYZE`);
  await db.query(`CREATE TABLE bench_meta AS SELECT $1::int AS patients, $2::int AS days, $3::timestamptz AS loaded_until`, [PATIENTS, DAYS, END]);
  const done = process.hrtime.bigint();
  const [{ rows }] = [await db.query(`SELECT count(*)::bigint AS n, pg_size_pretty(pg_database_size('rpm_bench')) AS size FROM observations`)];
  console.log(`\nstore: loaded ${Number(rows[0].n).toLocaleString('en-US')} rows in ${(ms(loaded - t0) / 1000).toFixed(0)} s, rollups in ${(ms(done - loaded) / 1000).toFixed(0)} s; database ${rows[0].size}`);
}

interface Timing {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly rows: number;
}

/** Times `QUERIES` queries for random patients; the first tenth warms the cache and is not counted. */
async function time(run: (patient: string) => Promise<number>): Promise<Timing> {
  const took: number[] = [];
  let rows = 0;
  const warm = Math.floor(QUERIES / 10);
  for (let i = 0; i < QUERIES + warm; i++) {
    const patient = patientId(Math.floor(Math.random() * PATIENTS));
    const t = process.hrtime.bigint();
    const n = await run(patient);
    if (i >= warm) {
      took.push(ms(process.hrtime.bigint() - t));
      rows += n;
    }
  }
  took.sort((a, b) => a - b);
  return { p50: percentile(took, 50), p95: percentile(took, 95), p99: percentile(took, 99), max: took[took.length - 1] ?? NaN, rows: rows / QUERIES };
}

async function main(): Promise<void> {
  await ensureDatabase();
  execFileSync('node', ['scripts/run-ts.js', 'scripts/migrate.ts', '--database-url', BENCH_URL], { stdio: 'ignore' });
  const db = new Client({ connectionString: BENCH_URL });
  await db.connect();
  const runId = newRunId('bench-store');
  const kafka = testKafka(runId);
  const vitals = await startServiceUnderTest({ name: 'vitals-store', runId, port: VITALS_PORT, kafka, env: { DATABASE_URL: BENCH_URL } });
  const api = new ApiClient(`http://127.0.0.1:${VITALS_PORT}`);
  try {
    await load(db);
    const read = (query: (from: Date) => string, days: number) => async (patient: string) => {
      const res = await api.get<ObservationSeriesResponse>(`/internal/v1/patients/${patient}/observations?${query(new Date(END.getTime() - days * DAY_MS))}&to=${END.toISOString()}&limit=10000`);
      if (res.status !== 200) throw new Error(`query answered ${res.status}`);
      return res.body.items.length + res.body.buckets.length;
    };
    const reads = {
      raw30Days: await time(read((from) => `code=${SYSTOLIC}&resolution=raw&from=${from.toISOString()}`, 30)),
      hourly30Days: await time(read((from) => `code=${SYSTOLIC}&resolution=hour&from=${from.toISOString()}`, 30)),
      daily365Days: await time(read((from) => `code=${SYSTOLIC}&resolution=day&from=${from.toISOString()}`, 365)),
      allCodesRaw30Days: await time(read((from) => `resolution=raw&from=${from.toISOString()}`, 30)),
    };

    // The write path: heart rates for random patients through Kafka into the store, rollups included.
    // Values differ within any 60 s, or DQ-03 would drop some as a hub's resends.
    const producer = new BatchingProducer(kafka);
    await producer.connect();
    const device = `bench-w-${runId}`;
    const batch = Array.from({ length: WRITES }, (_, i) =>
      anObservation({ patientId: patientId(Math.floor(Math.random() * PATIENTS)), deviceId: device, messageId: `w-${i}`, reading: aReading({ type: 'heart_rate', value: 40 + (i % 100) }), measuredAt: new Date(END.getTime() - DAY_MS + i * 1_000) }),
    );
    const t = process.hrtime.bigint();
    await producer.publish(Topics.observations, batch.map((o) => ({ key: o.patientId, value: o })));
    const deadline = Date.now() + 5 * 60_000;
    for (;;) {
      // The natural keys, indexed by device (observations are not): one per reading stored, as none is a resend here.
      const [row] = (await db.query(`SELECT count(*)::int AS n FROM observation_keys WHERE device_id = $1`, [device])).rows as { n: number }[];
      if ((row?.n ?? 0) >= WRITES) break;
      if (Date.now() > deadline) throw new Error(`only ${row?.n ?? 0} of ${WRITES} readings stored after 5 min`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const writeSeconds = ms(process.hrtime.bigint() - t) / 1000;
    await producer.disconnect();
    const writes = { readings: WRITES, seconds: writeSeconds, readingsPerSecond: Math.round(WRITES / writeSeconds) };

    const fmt = (x: Timing) => `p50 ${x.p50.toFixed(2)} ms, p95 ${x.p95.toFixed(2)} ms, p99 ${x.p99.toFixed(2)} ms, max ${x.max.toFixed(2)} ms (${x.rows.toFixed(0)} rows)`;
    console.log(`store: ${PATIENTS} patients × ${DAYS} days, ${QUERIES} queries each through the vitals-store API, random patients`);
    console.log(`  30 days of systolic, raw:        ${fmt(reads.raw30Days)}   (target p95 < 50 ms)`);
    console.log(`  30 days of systolic, hourly:     ${fmt(reads.hourly30Days)}`);
    console.log(`  365 days of systolic, daily:     ${fmt(reads.daily365Days)}`);
    console.log(`  30 days of every vital, raw:     ${fmt(reads.allCodesRaw30Days)}`);
    console.log(`  write path (Kafka -> stored, with rollups): ${writes.readingsPerSecond.toLocaleString('en-US')} readings/s (${WRITES.toLocaleString('en-US')} in ${writeSeconds.toFixed(1)} s)`);
    mkdirSync('.data/bench', { recursive: true });
    const path = `.data/bench/store-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    writeFileSync(path, JSON.stringify({ patients: PATIENTS, days: DAYS, queries: QUERIES, reads, writes }, null, 2));
    console.log(path);
  } finally {
    await vitals.stop();
    await db.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
