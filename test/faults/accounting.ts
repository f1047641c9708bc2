/**
 * The store and the worklist checked against the devices' log: every acknowledged message
 * stored exactly once (observations, natural key (device, message, code)), no alert twice.
 */
import { Pool } from 'pg';
import type { LoggedMessage } from './fleet';

export interface StoredCount {
  rows: number;
  /** Distinct codes (a blood pressure message stores two rows: systolic, diastolic). */
  codes: number;
  firstStoredAt: number;
}

export class StoreReader {
  readonly pool: Pool;

  constructor(databaseUrl: string) {
    this.pool = new Pool({ connectionString: databaseUrl, max: 2 });
    // A restarted or crashed PostgreSQL ends idle connections: the pool makes new ones.
    this.pool.on('error', () => undefined);
  }

  /** Rows per message of these devices: (device_id, message_id) -> rows, earliest stored_at. */
  async storedByMessage(deviceIds: string[]): Promise<Map<string, StoredCount>> {
    const res = await this.retry(() =>
      this.pool.query<{ device_id: string; message_id: string; rows: string; codes: string; first: Date }>(
        `SELECT device_id, message_id, count(*) AS rows, count(DISTINCT code) AS codes, min(stored_at) AS first
           FROM observations WHERE device_id = ANY($1) GROUP BY device_id, message_id`,
        [deviceIds],
      ),
    );
    return new Map(res.rows.map((r) => [`${r.device_id}/${r.message_id}`, { rows: Number(r.rows), codes: Number(r.codes), firstStoredAt: r.first.getTime() }]));
  }

  /**
   * Natural keys taken by these devices (a key per reading, resends included): a cheap count of what
   * the store has written so far, by the keys' device index (observations has none).
   */
  async keysOf(deviceIds: readonly string[]): Promise<number> {
    const res = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM observation_keys WHERE device_id = ANY($1)`, [deviceIds]);
    return Number(res.rows[0]?.n ?? 0);
  }

  /**
   * Alerts whose evidence names one of these observations: per observation, the distinct alert
   * keys and alert rows (two of either = an alert delivered twice).
   */
  async alertsByObservation(observationIds: string[]): Promise<Map<string, { keys: number; alerts: number }>> {
    const res = await this.retry(() =>
      this.pool.query<{ observation_id: string; keys: string; alerts: string }>(
        `SELECT observation_id, count(DISTINCT alert_key) AS keys, count(DISTINCT alert_id) AS alerts
           FROM alert_evidence WHERE observation_id = ANY($1) GROUP BY observation_id`,
        [observationIds],
      ),
    );
    return new Map(res.rows.map((r) => [r.observation_id, { keys: Number(r.keys), alerts: Number(r.alerts) }]));
  }

  /** Alert rows per patient (one live alert per patient and rule; a sentinel patient has one breach, so one alert). */
  async alertRowsByPatient(patientIds: string[]): Promise<Map<string, number>> {
    const res = await this.retry(() =>
      this.pool.query<{ patient_id: string; n: string }>(`SELECT patient_id, count(*) AS n FROM alerts WHERE patient_id = ANY($1) GROUP BY patient_id`, [patientIds]),
    );
    return new Map(res.rows.map((r) => [r.patient_id, Number(r.n)]));
  }

  private async retry<T>(fn: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await fn();
      } catch (error) {
        if (i >= 60) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}

export interface Tally {
  acknowledged: number;
  stored: number;
  lost: number;
  duplicated: number;
  /** Stored although the device never saw its PUBACK (a publish cut by a broker restart): allowed, at-least-once. */
  storedUnacked: number;
}

/** Stored = at least one row; duplicated = a code stored more than once for the message (rows > distinct codes). */
export function tally(messages: LoggedMessage[], stored: Map<string, StoredCount>): Tally {
  const t: Tally = { acknowledged: 0, stored: 0, lost: 0, duplicated: 0, storedUnacked: 0 };
  for (const m of messages) {
    const s = stored.get(`${m.deviceId}/${m.messageId}`);
    const rows = s?.rows ?? 0;
    if (m.ackedAt === null) {
      if (rows > 0) t.storedUnacked++;
      continue;
    }
    t.acknowledged++;
    if (rows > 0) t.stored++;
    else t.lost++;
    if (s && s.rows > s.codes) t.duplicated++;
  }
  return t;
}
