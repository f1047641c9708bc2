import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DeviceReading } from '@rpm/contracts';
import { TEST_DATABASE_URL } from '@rpm/testing';
import { OBSERVATION_COLUMNS, observationCopyLines, sampleMessageShape, sampleObservations } from './observation-sample';

const DAY_MS = 86_400_000;

export interface PostgresCeilingOptions {
  /** Device messages whose rows are copied (default 100,000: 300,000 rows of the sample message). */
  readonly messages?: number;
  /** Distinct patients (one device each) the messages cycle through (default 600, like npm run bench). */
  readonly patients?: number;
  /** Days back from now the measurement times spread over (default 14). */
  readonly days?: number;
  /** The readings of each message (default: the bench's, SAMPLE_READINGS). */
  readonly readings?: readonly DeviceReading[];
  /** Default: the test database (never the demo's). */
  readonly databaseUrl?: string;
}

export interface PostgresCeiling {
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly rowsPerMessage: number;
  /** rows / rowsPerMessage: the device messages these rows stand for. */
  readonly messagesEquivalent: number;
  readonly messagesPerSecond: number;
  /** Monthly partitions the rows were routed to. */
  readonly partitions: number;
}

/** First days (UTC) of every month from `from` to `to`, and the one after. */
function monthBounds(from: Date, to: Date): Date[] {
  const bounds: Date[] = [];
  for (let m = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1)); m <= to; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) bounds.push(m);
  const last = bounds[bounds.length - 1] as Date;
  bounds.push(new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 1)));
  return bounds;
}

/** Feeds `text` to `psql -c "\copy ... from pstdin"`; resolves with the rows psql reports and the seconds it took. */
function psqlCopy(databaseUrl: string, table: string, text: string): Promise<{ rows: number; seconds: number }> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-d', databaseUrl, '-c', `\\copy ${table} (${OBSERVATION_COLUMNS.join(', ')}) from pstdin`], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rows = Number(/COPY (\d+)/.exec(stdout)?.[1] ?? NaN);
      if (code === 0 && Number.isFinite(rows)) resolvePromise({ rows, seconds });
      else reject(new Error(`psql \\copy exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
    child.stdin.end(text);
  });
}

/**
 * PostgreSQL's bulk path, COPY, into a scratch copy of `observations`: the pipeline's store can at
 * best match it. The scratch table is `LIKE observations INCLUDING ALL` and, like observations,
 * range-partitioned by measured_at into monthly partitions (plus a default): LIKE copies the
 * (patient, code, time) and resend-probe indexes, and each partition builds them again, so COPY
 * pays the same partition routing and index maintenance as the real writes. It does not pay what
 * the writer adds on top (observation_keys, DQ-03's probe, the hourly and daily rollups), so this is
 * an upper bound. Dropped afterwards. Timed from psql's start to its exit (a connection included).
 */
export async function postgresCopyCeiling(options: PostgresCeilingOptions = {}): Promise<PostgresCeiling> {
  const messages = options.messages ?? 100_000;
  const patients = options.patients ?? 600;
  const days = options.days ?? 14;
  const databaseUrl = options.databaseUrl ?? TEST_DATABASE_URL;
  const { rowsPerMessage } = sampleMessageShape(options.readings);
  const to = new Date();
  const from = new Date(to.getTime() - days * DAY_MS);
  // Built before the clock starts; messages in time order, patients interleaved as a fleet sends them.
  const step = (to.getTime() - from.getTime()) / messages;
  let text = '';
  for (let i = 0; i < messages; i++) text += observationCopyLines(sampleObservations(i % patients, new Date(Math.floor(from.getTime() + i * step)), options.readings));

  const table = `bench_copy_${randomUUID().slice(0, 8)}`;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const bounds = monthBounds(from, to);
  try {
    await db.query(`CREATE TABLE ${table} (LIKE observations INCLUDING ALL) PARTITION BY RANGE (measured_at)`);
    for (let i = 0; i + 1 < bounds.length; i++) {
      await db.query(`CREATE TABLE ${table}_p${i} PARTITION OF ${table} FOR VALUES FROM ('${bounds[i]?.toISOString()}') TO ('${bounds[i + 1]?.toISOString()}')`);
    }
    await db.query(`CREATE TABLE ${table}_default PARTITION OF ${table} DEFAULT`);
    const { rows, seconds } = await psqlCopy(databaseUrl, table, text);
    return {
      rows,
      seconds,
      rowsPerSecond: rows / seconds,
      rowsPerMessage,
      messagesEquivalent: rows / rowsPerMessage,
      messagesPerSecond: rows / rowsPerMessage / seconds,
      partitions: bounds.length - 1,
    };
  } finally {
    await db.query(`DROP TABLE IF EXISTS ${table}`).catch((error: Error) => console.warn(`could not drop scratch table ${table}: ${error.message}`));
    await db.end();
  }
}
