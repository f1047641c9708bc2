import type { DeviceStatusV1 } from '@rpm/contracts';
import type { HeardFromDevice } from '@rpm/vitals';

/** A device's status is written at most this often unless what it says about itself changes. */
export const STATUS_EVERY_MS = 60_000;
/** Devices remembered per gateway instance; past it the oldest are forgotten (they are written again next time). */
const MAX_DEVICES = 100_000;

/**
 * Which device statuses are worth a record on rpm.devices.status.v1: the first from a device, a
 * change of battery, signal band, firmware or clock (beyond a minute), or a minute since the last.
 * In memory per gateway instance: another instance writing the same device again is harmless.
 */
export class DeviceStatusTracker {
  private readonly last = new Map<string, { at: number; key: string }>();

  next(deviceId: string, heard: HeardFromDevice, receivedAt: Date): DeviceStatusV1 | null {
    const clockOffsetMs = heard.measuredAt.getTime() - receivedAt.getTime();
    // Signal in 10 dB bands and the clock in minutes: noise there is not news.
    const key = JSON.stringify([heard.batteryPercent, heard.signalDbm === null ? null : Math.round(heard.signalDbm / 10), heard.firmware, Math.round(clockOffsetMs / 60_000)]);
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
