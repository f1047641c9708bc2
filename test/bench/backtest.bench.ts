/**
 * npm run bench:backtest: how long a 30-day backtest for 1,000 patients with 4 readings a day
 * takes (issue 5; target under 10 s on this machine): the stored observations read back through a
 * real vitals-store's history endpoint (as the backtest job reads them) and replayed through
 * libs/clinical-rules twice, under the current protocol and under a draft. The bench writes its own history first (not
 * timed) and deletes it afterwards. Prints figures; asserts nothing.
 *
 * Options: --patients N (default 1000) --days D (default 30).
 */
import { randomUUID } from 'node:crypto';
import { ObservationHistoryResponse, type ObservationV1, type Program } from '@rpm/contracts';
import { backtest, resolveProtocol, type BacktestPatient } from '@rpm/clinical-rules';
import { newRunId, startServiceUnderTest, TestDatabase, testKafka } from '@rpm/testing';
import { normalizeReading, toObservation } from '@rpm/vitals';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const DAY_MS = 86_400_000;
const VITALS_PORT = 14097;
const TIMEZONE = 'America/New_York';
const PROGRAMS: Program[][] = [['heart_failure'], ['hypertension'], ['copd'], ['diabetes'], []];

/** Four readings a day: a morning weight or glucose, BP, heart rate and SpO2, with some out of range. */
function history(patientId: string, index: number, from: number, days: number): ObservationV1[] {
  const out: ObservationV1[] = [];
  const at = (day: number, hours: number) => new Date(from + day * DAY_MS + hours * 3_600_000);
  const wobble = (day: number, span: number) => ((day * 7 + index * 13) % span) - span / 2;
  for (let day = 0; day < days; day++) {
    const readings = [
      index % 5 === 3 ? { type: 'glucose' as const, value: 140 + wobble(day, 120), unit: 'mg/dL' as const } : { type: 'body_weight' as const, value: 80 + wobble(day, 3) / 2, unit: 'kg' as const },
      { type: 'blood_pressure' as const, systolic: 132 + wobble(day, 60), diastolic: 82 + wobble(day, 20), unit: 'mmHg' as const },
      { type: 'heart_rate' as const, value: 80 + wobble(day, 50), unit: '/min' as const },
      { type: 'spo2' as const, value: Math.min(99, 94 + wobble(day, 10)), unit: '%' as const },
    ];
    readings.forEach((reading, i) => {
      const normalized = normalizeReading(reading);
      if (!normalized.ok) return;
      const measuredAt = at(day, 12 + i * 0.1);
      out.push(toObservation(normalized, { patientId, deviceId: `bench-${index}`, messageId: `d${day}-${i}`, measuredAt, measuredAtOffset: '-05:00', receivedAt: new Date(measuredAt.getTime() + 5_000) }));
    });
  }
  return out;
}

async function store(db: TestDatabase, observations: readonly ObservationV1[]): Promise<void> {
  for (let i = 0; i < observations.length; i += 5_000) {
    const cols = { patient: [] as string[], device: [] as string[], message: [] as string[], code: [] as string[], panel: [] as string[], value: [] as number[], unit: [] as string[], origValue: [] as number[], origUnit: [] as string[], measured: [] as string[], received: [] as string[] };
    for (const o of observations.slice(i, i + 5_000)) {
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
        cols.measured.push(o.measuredAt);
        cols.received.push(o.receivedAt);
      }
    }
    await db.query(
      `INSERT INTO observations (patient_id, device_id, message_id, code, panel_code, value, unit, original_value, original_unit, measured_at, measured_at_offset, received_at)
       SELECT p, d, m, c, pc, v, u, ov, ou, ma, '-05:00', ra
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[], $8::float8[], $9::text[], $10::timestamptz[], $11::timestamptz[])
           AS t(p, d, m, c, pc, v, u, ov, ou, ma, ra)
       ON CONFLICT DO NOTHING`,
      [cols.patient, cols.device, cols.message, cols.code, cols.panel, cols.value, cols.unit, cols.origValue, cols.origUnit, cols.measured, cols.received],
    );
  }
}

/** The stored readings back through vitals-store's history endpoint, as a backtest job reads them. */
async function load(vitalsUrl: string, patientIds: readonly string[], from: Date, to: Date): Promise<Map<string, ObservationV1[]>> {
  const byPatient = new Map<string, ObservationV1[]>();
  for (let i = 0; i < patientIds.length; i += 200) {
    const response = await fetch(`${vitalsUrl}/internal/v1/observations/history`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ patientIds: patientIds.slice(i, i + 200), from: from.toISOString(), to: to.toISOString() }),
    });
    if (!response.ok) throw new Error(`vitals-store answered ${response.status}`);
    for (const o of ObservationHistoryResponse.parse(await response.json()).observations) {
      const list = byPatient.get(o.patientId);
      if (list) list.push(o);
      else byPatient.set(o.patientId, [o]);
    }
  }
  return byPatient;
}

async function main(): Promise<void> {
  const patients = arg('patients', 1000);
  const days = arg('days', 30);
  const to = new Date(Date.UTC(2026, 9, 31, 5));
  const from = new Date(to.getTime() - days * DAY_MS);
  const db = new TestDatabase();
  await db.query(`SELECT rpm_ensure_observation_partitions(date_trunc('month', $1::timestamptz)::date, 3)`, [from]);
  const ids = Array.from({ length: patients }, () => randomUUID());
  const runId = newRunId('bench-bt');
  const vitals = await startServiceUnderTest({ name: 'vitals-store', runId, port: VITALS_PORT, kafka: testKafka(runId) });
  try {
    const written = Date.now();
    const all = ids.flatMap((id, i) => history(id, i, from.getTime(), days));
    await store(db, all);
    console.log(`backtest: ${patients} patients × ${days} days, ${all.length.toLocaleString('en-US')} readings stored in ${((Date.now() - written) / 1000).toFixed(1)} s (not timed)`);

    const started = process.hrtime.bigint();
    const loaded = await load(`http://127.0.0.1:${VITALS_PORT}`, ids, from, to);
    const loadedAt = process.hrtime.bigint();
    const draftOverrides = [
      { ruleId: 'HR-02', parameter: 'conditions.0', value: 115, setBy: 'bench', setAt: to.toISOString(), version: 2 },
      { ruleId: 'SP-02', parameter: 'conditions.0', value: 90, setBy: 'bench', setAt: to.toISOString(), version: 2 },
    ];
    // Resolved once per distinct protocol, as the backtest job does: patients share them.
    const protocols = PROGRAMS.map((programs) => {
      const base = { programs, spo2Scale: programs.includes('copd') ? 2 : 1, timezone: TIMEZONE } as const;
      return { current: resolveProtocol({ ...base, version: 1 }), draft: resolveProtocol({ ...base, version: 2, overrides: draftOverrides }) };
    });
    const input: BacktestPatient[] = ids.map((id, i) => ({ patientId: id, history: loaded.get(id) ?? [], ...protocols[i % protocols.length]! }));
    const result = backtest({ patients: input, from, to });
    const done = process.hrtime.bigint();

    const seconds = (a: bigint, b: bigint) => Number(b - a) / 1e9;
    const readings = [...loaded.values()].reduce((n, l) => n + l.length, 0);
    console.log(`  read back through vitals-store's history endpoint  ${seconds(started, loadedAt).toFixed(2)} s (${readings.toLocaleString('en-US')} observations)`);
    console.log(`  replayed twice (current + draft)  ${seconds(loadedAt, done).toFixed(2)} s (${Math.round((2 * readings) / seconds(loadedAt, done)).toLocaleString('en-US')} readings/s)`);
    console.log(`  30-day backtest, ${patients} patients: ${seconds(started, done).toFixed(2)} s in all (target < 10 s)`);
    console.log(
      `  alerts per patient-day: current ${result.alertsPerPatientDay.current.toFixed(3)}, draft ${result.alertsPerPatientDay.draft.toFixed(3)}; ` +
        `${result.disappearing.length} would disappear, ${result.appearing.length} would appear; ${result.patientsNoLongerAlerted.length} patients no longer alerted`,
    );
  } finally {
    await vitals.stop();
    await db.query(`DELETE FROM observations WHERE patient_id = ANY($1::uuid[])`, [ids]);
    await db.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
