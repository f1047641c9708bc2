import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AlertClearedV1, AlertRaisedV1, AlertSignalV1, DeviceStatusV1 } from '@rpm/contracts';
import { deterministicUuid } from '@rpm/clinical-rules';
import { counter } from '@rpm/service-kit';
import { AlertIngestService } from '../alerts/alert-ingest.service';

/** Battery at or below this raises DV-01. */
export const LOW_BATTERY_PERCENT = 15;
/** A clock this far from arrival time, on this many status records in a row, raises DV-02. */
export const CLOCK_DRIFT_MS = 10 * 60_000;
export const CLOCK_DRIFT_STREAK = 3;
/** DQ-01 (CLINICAL.md 2): a "device data error" item after this many implausible readings in 7 days. */
export const DATA_ERRORS_IN_WEEK = 3;

const raised = counter('rpm_device_health_items_total', 'Device health items raised into the adherence queue', ['rule']);

interface Item {
  readonly ruleId: 'DV-01' | 'DV-02' | 'DQ-01';
  readonly deviceId: string;
  /** What makes this occurrence distinct (a status time, a dead letter id): replays are idempotent. */
  readonly occurrence: string;
  readonly summary: string;
  readonly threshold: string;
  readonly evidence: { code: string; value: number; unit: string; at: string };
}

/**
 * Device health into the adherence queue (issue 7, section 5): DV-01 low battery, DV-02 a clock far
 * off (repeatedly, or reset to a year long past), DQ-01 repeated device data errors (implausible
 * readings such as 2047 error frames). Each becomes a worklist item of the device's current
 * patient through the same path as the rules engine's alerts (one live item per patient and rule;
 * a battery back above the limit marks DV-01 returned to normal). A device bound to nobody raises
 * nothing: there is no patient to follow up.
 */
@Injectable()
export class DeviceHealthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly worklist: AlertIngestService,
  ) {}

  /** Stores a status and judges it. */
  async onStatus(status: DeviceStatusV1): Promise<void> {
    const drifted = Math.abs(status.clockOffsetMs) > CLOCK_DRIFT_MS;
    const [row] = (await this.db.query(
      `INSERT INTO device_status AS s (device_id, last_seen_at, clock_offset_ms, battery_percent, signal_dbm, firmware, drift_streak)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (device_id) DO UPDATE SET
         last_seen_at = GREATEST(s.last_seen_at, EXCLUDED.last_seen_at), clock_offset_ms = EXCLUDED.clock_offset_ms,
         battery_percent = EXCLUDED.battery_percent, signal_dbm = EXCLUDED.signal_dbm, firmware = EXCLUDED.firmware,
         drift_streak = CASE WHEN $8 THEN s.drift_streak + 1 ELSE 0 END, updated_at = now()
       RETURNING drift_streak`,
      [status.deviceId, status.lastSeenAt, status.clockOffsetMs, status.batteryPercent, status.signalDbm, status.firmware, drifted ? 1 : 0, drifted],
    )) as { drift_streak: number }[];
    const items: Item[] = [];
    if (status.batteryPercent !== null && status.batteryPercent <= LOW_BATTERY_PERCENT) {
      items.push({
        ruleId: 'DV-01',
        deviceId: status.deviceId,
        occurrence: status.lastSeenAt,
        summary: `Battery ${status.batteryPercent} % on device ${status.deviceId}`,
        threshold: `battery ≤ ${LOW_BATTERY_PERCENT} %`,
        evidence: { code: 'rpm-device-battery', value: status.batteryPercent, unit: '%', at: status.lastSeenAt },
      });
    }
    if ((row?.drift_streak ?? 0) >= CLOCK_DRIFT_STREAK) items.push(this.clockItem(status.deviceId, status.lastSeenAt, status.clockOffsetMs));
    await this.raise(items);
    if (status.batteryPercent !== null && status.batteryPercent > LOW_BATTERY_PERCENT) await this.clear(status.deviceId, 'DV-01', status.lastSeenAt);
  }

  /** Dead letters as they are kept: clock resets and implausible readings. */
  async onDeadLetters(letters: readonly { id: string; deviceId: string | null; reason: string; detail: string; receivedAt: string }[]): Promise<void> {
    const items: Item[] = [];
    for (const letter of letters) {
      if (!letter.deviceId) continue;
      if (letter.reason === 'clock_skew' && letter.detail.includes('before 2000')) {
        items.push(this.clockItem(letter.deviceId, letter.receivedAt, null, letter.id));
      }
      if (letter.reason === 'implausible') {
        const [count] = (await this.db.query(
          `SELECT count(*)::int AS n FROM dead_letters WHERE device_id = $1 AND reason = 'implausible' AND received_at > $2::timestamptz - interval '7 days'`,
          [letter.deviceId, letter.receivedAt],
        )) as { n: number }[];
        const n = count?.n ?? 0;
        if (n >= DATA_ERRORS_IN_WEEK) {
          items.push({
            ruleId: 'DQ-01',
            deviceId: letter.deviceId,
            occurrence: letter.id,
            summary: `${n} implausible readings from device ${letter.deviceId} in 7 days (device data error)`,
            threshold: `≥ ${DATA_ERRORS_IN_WEEK} implausible readings in 7 days`,
            evidence: { code: 'rpm-device-data-errors', value: n, unit: '{readings}', at: letter.receivedAt },
          });
        }
      }
    }
    await this.raise(items);
  }

  private clockItem(deviceId: string, at: string, offsetMs: number | null, occurrence = at): Item {
    const hours = offsetMs === null ? null : Math.round((offsetMs / 3_600_000) * 10) / 10;
    return {
      ruleId: 'DV-02',
      deviceId,
      occurrence,
      summary: hours === null ? `Device ${deviceId} sent a reading dated before 2000: its clock was reset` : `Device ${deviceId}'s clock is ${hours} h off`,
      threshold: `clock more than ${CLOCK_DRIFT_MS / 60_000} min off on ${CLOCK_DRIFT_STREAK} status updates in a row, or reset`,
      evidence: { code: 'rpm-device-clock-offset', value: hours ?? 0, unit: 'h', at },
    };
  }

  /** The patient the device reports for now (its open binding), if any. */
  private async patientOf(deviceId: string): Promise<string | null> {
    const [row] = (await this.db.query(`SELECT patient_id FROM device_bindings WHERE device_id = $1 AND valid_to IS NULL`, [deviceId])) as { patient_id: string }[];
    return row?.patient_id ?? null;
  }

  private async raise(items: readonly Item[]): Promise<void> {
    const signals: AlertSignalV1[] = [];
    for (const item of items) {
      const patientId = await this.patientOf(item.deviceId);
      if (!patientId) continue;
      const now = new Date().toISOString();
      const signal: AlertRaisedV1 = {
        schema: 'rpm.alert-raised.v1',
        alertKey: deterministicUuid('rpm.device-health', item.deviceId, item.ruleId, item.occurrence),
        patientId,
        ruleId: item.ruleId,
        ruleSource: item.ruleId === 'DQ-01' ? 'CLINICAL.md DQ-01' : 'device health (issue 7)',
        severity: 'low',
        kind: 'alert',
        summary: item.summary,
        threshold: item.threshold,
        retrospective: false,
        measuredAt: item.evidence.at,
        evaluatedAt: now,
        observations: [{ observationId: `${item.deviceId}/${item.ruleId}/${item.occurrence}`, code: item.evidence.code, value: item.evidence.value, unit: item.evidence.unit, measuredAt: item.evidence.at }],
      };
      signals.push(signal);
      raised.inc({ rule: item.ruleId });
    }
    if (signals.length > 0) await this.worklist.applyBatch(signals);
  }

  private async clear(deviceId: string, ruleId: 'DV-01', at: string): Promise<void> {
    const patientId = await this.patientOf(deviceId);
    if (!patientId) return;
    const cleared: AlertClearedV1 = {
      schema: 'rpm.alert-cleared.v1',
      clearKey: deterministicUuid('rpm.device-health.cleared', deviceId, ruleId, at),
      patientId,
      ruleId,
      reason: 'returned_to_normal',
      summary: `Battery back above ${LOW_BATTERY_PERCENT} % on device ${deviceId}`,
      measuredAt: at,
      evaluatedAt: new Date().toISOString(),
      observations: [],
    };
    await this.worklist.applyBatch([cleared]);
  }
}
