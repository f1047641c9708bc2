import { deviceReadingsTopic } from '@rpm/contracts';
import type { SimPatient } from '../fleet/fleet-model';
import type { CareApiClient } from './care-api-client';
import type { DeviceCredentials } from './mqtt-device';

/** Parallel registrations: enough to register hundreds of patients in seconds, few enough not to swamp a dev API. */
export const REGISTRATION_CONCURRENCY = 8;

/** Runs `work` over items with at most `limit` in flight; the first failure rejects. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Creates each patient, then registers each of its devices, and returns the MQTT credentials
 * care-api issued per device. The first patient goes alone: it doubles as the readiness probe,
 * so a slow-starting API is waited for once rather than by every worker.
 */
export async function registerFleet(
  fleet: readonly SimPatient[],
  api: CareApiClient,
  mqttUrlOverride: string | null,
): Promise<Map<string, DeviceCredentials>> {
  const credentials = new Map<string, DeviceCredentials>();
  const registerPatient = async (patient: SimPatient): Promise<void> => {
    const created = await api.createPatient({
      mrn: patient.mrn,
      name: patient.name,
      timezone: patient.timezone,
      programs: [...patient.programs],
    });
    for (const device of patient.devices) {
      const reg = await api.registerDevice(device.deviceId, created.id, device.kind);
      credentials.set(device.deviceId, {
        deviceId: device.deviceId,
        url: mqttUrlOverride ?? reg.mqtt.url,
        username: reg.mqtt.username,
        password: reg.mqtt.password,
        topic: reg.mqtt.topic || deviceReadingsTopic(device.deviceId),
      });
    }
  };
  const [first, ...rest] = fleet;
  if (first) await registerPatient(first);
  await mapLimited(rest, REGISTRATION_CONCURRENCY, registerPatient);
  return credentials;
}
