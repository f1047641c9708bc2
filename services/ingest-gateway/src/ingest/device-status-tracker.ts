import type { DeviceStatusV1 } from '@rpm/contracts';
import type { HeardFromDevice } from '@rpm/vitals';

/** A device's status is written at most this often unless what it says about itself changes. */
export const STATUS_EVERY_MS = 60_000;
/** Devices remembered per gateway instance; past it the oldest are forgotten (they are written again next time). */
const MAX_DEVICES = 100_000;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * The clock offset as news: to the minute within an hour, to the hour within a day, to the day beyond.
 * A backlog uploaded late (a hub back online) has a new offset with every message: by minutes alone,
 * each of its messages would write a status (8,000 of them for a 6-day backlog of minute readings).
 */
export function clockBand(offsetMs: number): string {
  const size = Math.abs(offsetMs);
  if (size < HOUR_MS) return `${Math.round(offsetMs / MINUTE_MS)}m`;
  if (size < DAY_MS) return `${Math.round(offsetMs / HOUR_MS)}h`;
  return `${Math.round(offsetMs / DAY_MS)}d`;
}

/**
 * Which device statuses are worth a record on rpm.devices.status.v1: the first from a device, a
 * change of battery, signal band, firmware or clock band (clockBand), or a minute since the last.
 * In memory per gateway instance: another instance writing the same device again is harmless.
 */
export class DeviceStatusTracker {
  private readonly last = new Map<string, { at: number; key: string }>();

  next(deviceId: string, heard: HeardFromDevice, receivedAt: Date): DeviceStatusV1 | null {
    const clockOffsetMs = heard.measuredAt.getTime() - receivedAt.getTime();
    // Signal in 10 dB bands and the clock in bands that widen with the offset: noise there is not news.
    const key = JSON.stringify([heard.batteryPercent, heard.signalDbm === null ? null : Math.round(heard.signalDbm / 10), heard.firmware, clockBand(clockOffsetMs)]);
    const previous = this.last.get(deviceId);
    const now = receivedAt.getTime();
    if (previous && previous.key === key && now - previous.at < STATUS_EVERY_MS) return null;
    this.last.delete(deviceId);
    this.last.set(deviceId, { at: now, key });
    if (this.last.size > MAX_DEVICES) this.last.delete(this.last.keys().next().value as string);
    return {
      schema: 'rpm.device-status.v1',
      deviceId,
      lastSeenAt: receivedAt.toISOString(),
      clockOffsetMs: Math.round(clockOffsetMs),
      batteryPercent: heard.batteryPercent,
      signalDbm: heard.signalDbm,
      firmware: heard.firmware,
    };
  }
}
