import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ObservationBucket, ObservationV1, StoredObservation } from '@rpm/contracts';
import { observationsFromStored } from '@rpm/vitals';

export interface SeriesQuery {
  readonly patientId: string;
  readonly code?: string;
  readonly from: Date;
  readonly to: Date;
  readonly limit: number;
}

interface SeriesRow {
  code: string;
  message_id: string;
  panel_code: string;
  value: number;
  unit: string;
  measured_at: Date;
  device_id: string;
  original_value: number;
  original_unit: string;
}

interface BucketRow {
  code: string;
  unit: string;
  bucket: Date;
  min: number;
  max: number;
  sum: number;
  count: number;
}

export type RollupResolution = 'hour' | 'day';

/**
 * New rows' share of a rollup: merged into the bucket (late readings too); GROUP BY keeps one row per
 * key, as ON CONFLICT requires. ORDER BY: two writers of overlapping batches (a replay beside the live
 * group) lock the buckets in the same order, or PostgreSQL ends one with a deadlock.
 */
const upsertRollup = (table: string, unit: RollupResolution) => `
  INSERT INTO ${table} AS r (patient_id, code, bucket, unit, min, max, sum, count)
  SELECT patient_id, code, date_trunc('${unit}', measured_at, 'UTC'), min(unit), min(value), max(value), sum(value), count(*)
    FROM inserted GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (patient_id, code, bucket) DO UPDATE
     SET min = LEAST(r.min, EXCLUDED.min), max = GREATEST(r.max, EXCLUDED.max), sum = r.sum + EXCLUDED.sum, count = r.count + EXCLUDED.count`;

/** Rows one insert can number: its arrival numbers are nextval('observation_batches') × this + 1, + 2, … */
const ROWS_PER_BATCH_NUMBER = 2 ** 24;

/** DQ-03's window (CLINICAL.md 2; ±2.5 min is for CGM, which the device contract does not carry). */
const RESEND_WINDOW_SECONDS = 60;

const ROLLUP_TABLES: Readonly<Record<RollupResolution, string>> = { hour: 'observation_rollups_hourly', day: 'observation_rollups_daily' };

interface HistoryRow extends SeriesRow {
  patient_id: string;
  message_id: string;
  panel_code: string;
  measured_at_offset: string;
  received_at: Date;
}

/** The only I/O of the time series. */
@Injectable()
export class ObservationRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Writes a batch in one statement, with the hourly and daily rollups of the new rows; the
   * natural key makes redelivery harmless (a duplicate is neither stored nor counted), and a
   * resend under a new messageId (DQ-03) is dropped too. `observations` come in the order they were
   * consumed (the rules engine's order), which each row keeps as its `arrival`. Returns the rows stored
   * and the resends dropped.
   */
  async insertBatch(observations: readonly ObservationV1[]): Promise<{ stored: number; resent: number }> {
    const cols = {
      patient: [] as string[], device: [] as string[], message: [] as string[], code: [] as string[],
      panel: [] as string[], value: [] as number[], unit: [] as string[], origValue: [] as number[],
      origUnit: [] as string[], measuredAt: [] as string[], offset: [] as string[], receivedAt: [] as string[],
    };
    for (const o of observations) {
      for (const c of o.components) {
        cols.patient.push(o.patientId);
        cols.device.push(o.deviceId);
        cols.message.push(o.messageId);
        cols.code.push(c.code);
        cols.panel.push(o.code);
        cols.value.push(c.value);
        cols.unit.push(c.unit);
        cols.origValue.push(c.originalValue);
        cols.origUnit.push(c.originalUnit);
        cols.measuredAt.push(o.measuredAt);
        cols.offset.push(o.measuredAtOffset);
        cols.receivedAt.push(o.receivedAt);
      }
    }
    if (cols.patient.length === 0) return { stored: 0, resent: 0 };
    if (cols.patient.length >= ROWS_PER_BATCH_NUMBER) throw new Error(`a batch of ${cols.patient.length} rows is over the ${ROWS_PER_BATCH_NUMBER} one arrival number can order`);
    // Keys first: a row is stored only when its natural key is new, whatever its measuredAt.
    const inserted = (await this.db.query(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[],
                              $8::float8[], $9::text[], $10::timestamptz[], $11::text[], $12::timestamptz[])
                    WITH ORDINALITY AS t(patient_id, device_id, message_id, code, panel_code, value, unit,
                         original_value, original_unit, measured_at, measured_at_offset, received_at, position)
       ),
       new_keys AS (
         INSERT INTO observation_keys (device_id, message_id, code)
         SELECT DISTINCT device_id, message_id, code FROM input ORDER BY 1, 2, 3
         ON CONFLICT DO NOTHING
         RETURNING device_id, message_id, code
       ),
       -- The batch's number is drawn once every key is ours: of two writers of overlapping batches (a
       -- rebalance), the one that waited for the other's keys numbers its rows after the other's.
       batch AS (SELECT nextval('observation_batches') * ${ROWS_PER_BATCH_NUMBER} AS first_arrival FROM (SELECT count(*) FROM new_keys) AS locked),
       candidates AS (
         SELECT DISTINCT ON (i.device_id, i.message_id, i.code) i.*
           FROM input i JOIN new_keys k USING (device_id, message_id, code)
          ORDER BY i.device_id, i.message_id, i.code, i.position
       ),
       -- DQ-03 (CLINICAL.md 2): a reading (a whole panel: blood pressure's two components together) with
       -- the same values from the same device, measured within 60 s of one already stored, or of one
       -- kept before it in this batch, is a hub's resend under a new messageId. Whole panels: a BP
       -- whose systolic repeats but diastolic differs is a new reading, kept whole.
       panels AS (
         SELECT patient_id, device_id, message_id, panel_code, min(measured_at) AS measured_at, min(position) AS position,
                array_agg(code || '=' || value::text ORDER BY code) AS sig
           FROM candidates GROUP BY patient_id, device_id, message_id, panel_code
       ),
       -- Stored readings matching a candidate component by component (observations_resend_probe finds
       -- them); a panel is a resend when one stored message matches all of its components.
       component_matches AS (
         SELECT c.device_id, c.message_id, c.panel_code, o.message_id AS stored_message
           FROM candidates c
           JOIN observations o
             ON o.patient_id = c.patient_id AND o.code = c.code
            AND o.measured_at BETWEEN c.measured_at - interval '${RESEND_WINDOW_SECONDS + 1} seconds' AND c.measured_at + interval '${RESEND_WINDOW_SECONDS + 1} seconds'
            -- In whole seconds, as the rules engine compares them.
            AND abs(floor(EXTRACT(EPOCH FROM o.measured_at)) - floor(EXTRACT(EPOCH FROM c.measured_at))) <= ${RESEND_WINDOW_SECONDS}
            AND o.device_id = c.device_id AND o.value = c.value AND o.message_id <> c.message_id
       ),
       stored_resends AS (
         SELECT m.device_id, m.message_id, m.panel_code FROM component_matches m
           JOIN panels p ON p.device_id = m.device_id AND p.message_id = m.message_id AND p.panel_code = m.panel_code
          GROUP BY m.device_id, m.message_id, m.panel_code, m.stored_message, cardinality(p.sig)
         HAVING count(*) = cardinality(p.sig)
       ),
       -- Copies of one reading within the batch (same patient, device, panel and values), in consumption
       -- order, walked as the rules engine sees them (rpm_resend_walk): a copy is a resend when it repeats
       -- a stored reading or a copy kept before it, never one that was itself dropped (a wearable's
       -- unchanged SpO2 every 30 s keeps one reading a minute, not only the first).
       repeated AS (
         SELECT p.device_id, p.panel_code,
                array_agg(p.message_id ORDER BY p.position) AS message_ids,
                array_agg(to_timestamp(floor(EXTRACT(EPOCH FROM p.measured_at))) ORDER BY p.position) AS measured,
                array_agg(s.message_id IS NOT NULL ORDER BY p.position) AS stored
           FROM panels p
           LEFT JOIN (SELECT DISTINCT device_id, message_id, panel_code FROM stored_resends) s USING (device_id, message_id, panel_code)
          -- Only readings with copies: most batches have none, and ordered aggregates over every panel cost.
          WHERE (p.patient_id, p.device_id, p.panel_code, p.sig) IN (
                  SELECT patient_id, device_id, panel_code, sig FROM panels GROUP BY 1, 2, 3, 4 HAVING count(*) > 1)
          GROUP BY p.patient_id, p.device_id, p.panel_code, p.sig
       ),
       walked AS (
         SELECT r.device_id, r.message_ids[w.nth] AS message_id, r.panel_code
           FROM repeated r, unnest(rpm_resend_walk(r.measured, r.stored, ${RESEND_WINDOW_SECONDS})) WITH ORDINALITY AS w(dropped, nth)
          WHERE w.dropped
       ),
       resent AS (
         SELECT device_id, message_id, panel_code FROM stored_resends
         UNION
         SELECT device_id, message_id, panel_code FROM walked
       ),
       -- NOT IN, not NOT EXISTS: the planner, guessing a CTE of a row or two, ran the anti-join as a
       -- nested loop over every resend for each candidate; NOT IN looks each up in one hash table.
       fresh AS (
         SELECT c.* FROM candidates c
          WHERE (c.device_id, c.message_id, c.panel_code) NOT IN (SELECT device_id, message_id, panel_code FROM resent)
       ),
       inserted AS (
         INSERT INTO observations (patient_id, device_id, message_id, code, panel_code, value, unit,
                                   original_value, original_unit, measured_at, measured_at_offset, received_at, arrival)
         SELECT patient_id, device_id, message_id, code, panel_code, value, unit,
                original_value, original_unit, measured_at, measured_at_offset, received_at, batch.first_arrival + position
           FROM fresh, batch
         RETURNING patient_id, code, unit, value, measured_at
       ),
       hourly AS (${upsertRollup(ROLLUP_TABLES.hour, 'hour')}),
       daily AS (${upsertRollup(ROLLUP_TABLES.day, 'day')})
       SELECT (SELECT count(*)::int FROM inserted) AS stored, (SELECT count(*)::int FROM candidates) - (SELECT count(*)::int FROM fresh) AS resent`,
      [cols.patient, cols.device, cols.message, cols.code, cols.panel, cols.value, cols.unit,
       cols.origValue, cols.origUnit, cols.measuredAt, cols.offset, cols.receivedAt],
    )) as { stored: number; resent: number }[];
    return { stored: inserted[0]?.stored ?? 0, resent: inserted[0]?.resent ?? 0 };
  }

  async series(query: SeriesQuery): Promise<StoredObservation[]> {
    const rows = (await this.db.query(
      // Ties broken by the natural key: a page cut at LIMIT is the same on every call (FHIR paging resumes after it).
      `SELECT code, value, unit, measured_at, device_id, message_id, panel_code, original_value, original_unit
         FROM observations
        WHERE patient_id = $1 AND ($2::text IS NULL OR code = $2)
          AND measured_at >= $3 AND measured_at < $4
        ORDER BY measured_at, code, device_id, message_id
        LIMIT $5`,
      [query.patientId, query.code ?? null, query.from, query.to, query.limit],
    )) as SeriesRow[];
    return rows.map((r) => ({
      code: r.code,
      value: r.value,
      unit: r.unit,
      measuredAt: r.measured_at.toISOString(),
      deviceId: r.device_id,
      originalValue: r.original_value,
      originalUnit: r.original_unit,
      messageId: r.message_id,
      panelCode: r.panel_code,
    }));
  }

  /** Rollup buckets starting in [from, to), oldest first. */
  async buckets(query: SeriesQuery, resolution: RollupResolution): Promise<ObservationBucket[]> {
    const rows = (await this.db.query(
      `SELECT code, unit, bucket, min, max, sum, count FROM ${ROLLUP_TABLES[resolution]}
        WHERE patient_id = $1 AND ($2::text IS NULL OR code = $2) AND bucket >= $3 AND bucket < $4
        ORDER BY bucket, code
        LIMIT $5`,
      [query.patientId, query.code ?? null, query.from, query.to, query.limit],
    )) as BucketRow[];
    return rows.map((r) => ({ code: r.code, unit: r.unit, start: r.bucket.toISOString(), min: r.min, max: r.max, mean: r.sum / r.count, count: r.count }));
  }

  /**
   * Every stored reading of these patients measured in [from, to), as observations, per patient in
   * the order the rules engine evaluated them (readings stored before arrival was kept: by received_at, first).
   */
  async history(patientIds: readonly string[], from: Date, to: Date): Promise<ObservationV1[]> {
    const rows = (await this.db.query(
      `SELECT patient_id, device_id, message_id, code, panel_code, value, unit, original_value, original_unit, measured_at, measured_at_offset, received_at
         FROM observations
        WHERE patient_id = ANY($1::uuid[]) AND measured_at >= $2 AND measured_at < $3
        ORDER BY patient_id, arrival NULLS FIRST, received_at, device_id, message_id, panel_code, code`,
      [patientIds, from, to],
    )) as HistoryRow[];
    return observationsFromStored(
      rows.map((r) => ({
        patientId: r.patient_id,
        deviceId: r.device_id,
        messageId: r.message_id,
        code: r.code,
        panelCode: r.panel_code,
        value: r.value,
        unit: r.unit,
        originalValue: r.original_value,
        originalUnit: r.original_unit,
        measuredAt: r.measured_at,
        measuredAtOffset: r.measured_at_offset,
        receivedAt: r.received_at,
      })),
    );
  }

  /**
   * Drops the monthly partitions that ended at or before `cutoff`, and deletes older rows of the
   * default partition (clocks reset to a year long past). Rollups and natural keys are kept: the
   * first for long-term charts, the second so a resend of a dropped reading is not stored again.
   */
  async dropBefore(cutoff: Date): Promise<{ partitions: { name: string; from: string; to: string }[]; defaultRows: number }> {
    // Our monthly partitions are named observations_YYYY_MM (rpm_ensure_observation_partitions): the name gives the month.
    const children = (await this.db.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'observations'::regclass AND c.relname ~ '^observations_[0-9]{4}_[0-9]{2}$' ORDER BY 1`,
    )) as { name: string }[];
    const partitions = children
      .map(({ name }) => {
        const [year, month] = name.slice('observations_'.length).split('_').map(Number) as [number, number];
        return { name, lower_bound: new Date(Date.UTC(year, month - 1, 1)), upper_bound: new Date(Date.UTC(year, month, 1)) };
      })
      .filter((p) => p.upper_bound <= cutoff);
    for (const p of partitions) await this.db.query(`DROP TABLE ${quoteIdent(p.name)}`);
    const [, defaultRows] = (await this.db.query(`DELETE FROM observations_default WHERE measured_at < $1`, [cutoff])) as [unknown, number];
    return { partitions: partitions.map((p) => ({ name: p.name, from: p.lower_bound.toISOString(), to: p.upper_bound.toISOString() })), defaultRows };
  }

  /** Monthly partitions from last month to three months ahead (the default partition catches the rest). */
  async ensurePartitions(now: Date): Promise<number> {
    const firstMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const rows = (await this.db.query(`SELECT rpm_ensure_observation_partitions($1::date, 5) AS created`, [
      firstMonth.toISOString().slice(0, 10),
    ])) as { created: number }[];
    return rows[0]?.created ?? 0;
  }
}

/** A partition name from the catalogue, quoted for DDL (names are ours: observations_YYYY_MM). */
function quoteIdent(name: string): string {
  if (!/^observations_[0-9]{4}_[0-9]{2}$/.test(name)) throw new Error(`not an observations partition: ${name}`);
  return `"${name}"`;
}
