import { TestDatabase } from '@rpm/testing';

/** How often the watch looks (one small query; the sequencer itself runs every 250 ms). */
const WATCH_MS = 250;

export interface SequencerFigures {
  /** Most alert_stream rows committed but not yet numbered, seen at once. */
  maxUnsequenced: number;
  samples: number;
  /**
   * The oldest transaction holding a transaction id anywhere in the PostgreSQL cluster, at its
   * oldest. A sequencer that waits for older transactions (as ee5f914's did, on the cluster-wide
   * pg_snapshot_xmin) is held back this long; with maxUnsequenced it tells such a stall apart.
   */
  oldestWriter: { database: string | null; application: string | null; ageMs: number } | null;
}

interface Row {
  unsequenced: number;
  database: string | null;
  application: string | null;
  age_ms: number | null;
}

/**
 * Watches the stream's sequencer while the load runs, so a latency tail can be told apart: rows
 * waiting for the next poll, or rows held back behind an old transaction (of any database).
 */
export class SequencerWatch {
  private readonly db = new TestDatabase();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private readonly figures: SequencerFigures = { maxUnsequenced: 0, samples: 0, oldestWriter: null };

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.sample()).catch(() => undefined);
    }, WATCH_MS);
  }

  private async sample(): Promise<void> {
    const [row] = await this.db.query<Row>(`
      SELECT (SELECT count(*)::int FROM alert_stream WHERE seq IS NULL) AS unsequenced, o.datname AS database, o.application_name AS application,
             (extract(epoch FROM clock_timestamp() - o.xact_start) * 1000)::float8 AS age_ms
        FROM (SELECT 1) one
        LEFT JOIN LATERAL (SELECT datname, application_name, xact_start FROM pg_stat_activity
                            WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() ORDER BY xact_start LIMIT 1) o ON true`);
    if (!row) return;
    const f = this.figures;
    f.samples++;
    f.maxUnsequenced = Math.max(f.maxUnsequenced, row.unsequenced);
    if (row.age_ms !== null && row.age_ms > (f.oldestWriter?.ageMs ?? -1)) f.oldestWriter = { database: row.database, application: row.application || null, ageMs: Math.round(row.age_ms) };
  }

  async stop(): Promise<SequencerFigures> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.db.end();
    return this.figures;
  }
}
