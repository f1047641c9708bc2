import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AlertClearedV1, AlertRaisedV1, AlertSignalV1, DeviceStatusV1 } from '@rpm/contracts';
import { deterministicUuid } from '@rpm/clinical-rules';
import { counter } from '@rpm/service-kit';
import { AlertIngestService } from '../alerts/alert-ingest.service';

/** Battery at or below this raises DV-01. */
export const LOW_BATTERY_PERCENT = 15;
/** DV-02: this many readings in a day refused for a clock ahead of arrival (clock_skew), or one dated before 2000 (a reset). */
export const CLOCK_SKEWS_IN_DAY = 3;
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
 * Device health into the adherence queue (issue 7, section 5): DV-01 low battery, DV-02 a clock
 * ahead (readings refused for it, repeatedly) or reset to a year long past, DQ-01 repeated device data errors (implausible
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

  /**
   * Judges a status against the one before, then stores it. DV-01 is raised when the battery goes
   * low and marked returned to normal when it comes back, once per change, not per status. Raising
   * first and storing after: a redelivered status raises the same key again (idempotent) rather than
   * nothing. Statuses older than the one stored (out of order) change nothing. The clock offset is
   * shown, not judged: a backlog uploaded days late looks the same as a slow clock (DV-02 comes from
   * readings refused for a clock ahead, below).
   */
  async onStatus(status: DeviceStatusV1): Promise<void> {
    const [previous] = (await this.db.query(`SELECT last_seen_at, battery_percent FROM device_status WHERE device_id = $1`, [status.deviceId])) as {
      last_seen_at: Date;
      battery_percent: number | null;
    }[];
    if (previous && previous.last_seen_at > new Date(status.lastSeenAt)) return;
    const wasLow = previous?.battery_percent !== null && previous?.battery_percent !== undefined && previous.battery_percent <= LOW_BATTERY_PERCENT;
    const isLow = status.batteryPercent !== null && status.batteryPercent <= LOW_BATTERY_PERCENT;
    if (isLow && !wasLow) {
      await this.raise([
        {
          ruleId: 'DV-01',
          deviceId: status.deviceId,
          occurrence: status.lastSeenAt,
          summary: `Battery ${status.batteryPercent} % on device ${status.deviceId}`,
          threshold: `battery ≤ ${LOW_BATTERY_PERCENT} %`,
          evidence: { code: 'rpm-device-battery', value: status.batteryPercent ?? 0, unit: '%', at: status.lastSeenAt },
        },
      ]);
    }
    if (wasLow && status.batteryPercent !== null && !isLow) await this.clear(status.deviceId, 'DV-01', status.lastSeenAt);
    await this.db.query(
      `INSERT INTO device_status AS s (device_id, last_seen_at, clock_offset_ms, battery_percent, signal_dbm, firmware)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (device_id) DO UPDATE SET
         last_seen_at = EXCLUDED.last_seen_at, clock_offset_ms = EXCLUDED.clock_offset_ms, battery_percent = EXCLUDED.battery_percent,
         signal_dbm = EXCLUDED.signal_dbm, firmware = EXCLUDED.firmware, updated_at = now()
       WHERE s.last_seen_at <= EXCLUDED.last_seen_at`,
      [status.deviceId, status.lastSeenAt, status.clockOffsetMs, status.batteryPercent, status.signalDbm, status.firmware],
    );
  }

  /** Dead letters as they are kept: clock resets and implausible readings. */
  async onDeadLetters(letters: readonly { id: string; deviceId: string | null; reason: string; detail: string; receivedAt: string }[]): Promise<void> {
    const items: Item[] = [];
    for (const letter of letters) {
      if (!letter.deviceId) continue;
      if (letter.reason === 'clock_skew') {
        const reset = letter.detail.includes('before 2000');
        const skews = reset ? CLOCK_SKEWS_IN_DAY : await this.countBefore(letter, 'clock_skew', '1 day');
        if (skews >= CLOCK_SKEWS_IN_DAY) items.push(this.clockItem(letter.deviceId, letter.receivedAt, reset, skews, letter.id));
      }
      if (letter.reason === 'implausible') {
        const n = await this.countBefore(letter, 'implausible', '7 days');
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

  /** The device's dead letters of this reason in the window ending at this one (a replayed DLQ counts as it was). */
  private async countBefore(letter: { deviceId: string | null; receivedAt: string }, reason: string, window: string): Promise<number> {
    const [row] = (await this.db.query(
      `SELECT count(*)::int AS n FROM dead_letters
        WHERE device_id = $1 AND reason = $2 AND received_at > $3::timestamptz - $4::interval AND received_at <= $3::timestamptz`,
      [letter.deviceId, reason, letter.receivedAt, window],
    )) as { n: number }[];
    return row?.n ?? 0;
  }

  private clockItem(deviceId: string, at: string, reset: boolean, skews: number, occurrence: string): Item {
    return {
      ruleId: 'DV-02',
      deviceId,
      occurrence,
      summary: reset ? `Device ${deviceId} sent a reading dated before 2000: its clock was reset` : `Device ${deviceId}'s clock is ahead: ${skews} readings refused in a day`,
      threshold: `${CLOCK_SKEWS_IN_DAY} readings in a day measured more than 10 min after they arrived, or one dated before 2000`,
      evidence: { code: 'rpm-device-clock-skews', value: skews, unit: '{readings}', at },
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
