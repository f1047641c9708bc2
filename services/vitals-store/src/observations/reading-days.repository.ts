import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ReadingDaysRequest, ReadingDaysResponse } from '@rpm/contracts';

interface ReadingDayRow {
  patient_id: string;
  date: string;
  first_reading_at: Date;
  readings: number;
}

/**
 * Local days with readings, per patient (billing data days, CLINICAL.md 5.2). Readings are dated
 * in each patient's IANA zone by PostgreSQL (AT TIME ZONE follows DST), from the raw rows: the
 * rollups are UTC buckets, which cannot be cut at a +05:30 or +13:45 local midnight.
 */
@Injectable()
export class ReadingDaysRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async readingDays(request: ReadingDaysRequest): Promise<ReadingDaysResponse> {
    const { patients } = request;
    const rows = (await this.db.query(
      `SELECT q.patient_id, to_char((o.measured_at AT TIME ZONE q.time_zone)::date, 'YYYY-MM-DD') AS date,
              min(o.measured_at) AS first_reading_at,
              count(DISTINCT (o.device_id, o.message_id, o.panel_code))::int AS readings
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS q(patient_id, time_zone, from_at, to_at)
         JOIN observations o ON o.patient_id = q.patient_id AND o.measured_at >= q.from_at AND o.measured_at < q.to_at
        GROUP BY 1, 2
        ORDER BY 1, 2`,
      [patients.map((p) => p.patientId), patients.map((p) => p.timeZone), patients.map((p) => p.from), patients.map((p) => p.to)],
    )) as ReadingDayRow[];
    const byPatient = new Map<string, ReadingDaysResponse['patients'][number]['days']>(patients.map((p) => [p.patientId, []]));
    for (const row of rows) {
      byPatient.get(row.patient_id)?.push({ date: row.date, firstReadingAt: row.first_reading_at.toISOString(), readings: row.readings });
    }
    return { patients: [...byPatient].map(([patientId, days]) => ({ patientId, days })) };
  }
}
