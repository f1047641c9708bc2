import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DeviceRegistrationResponse, PatientResponse } from '@rpm/contracts';
import type { ApiClient } from '@rpm/testing';

/** One bench device: a BP cuff (systolic, diastolic, pulse: three vitals a message) bound to its own patient. */
export interface FleetDevice {
  readonly deviceId: string;
  readonly patientId: string;
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly topic: string;
}

export interface Fleet {
  readonly database: string;
  readonly careTeam: string;
  readonly devices: FleetDevice[];
}

/** Registration runs this many requests at once: each costs care-api a scrypt hash and Mosquitto a dynsec write. */
const REGISTRATION_CONCURRENCY = 16;

/**
 * The bench fleet, registered through the API once and kept in `cacheFile` (credentials: under
 * .data/, never committed). Registering thousands of devices takes minutes (ADR 0002, docs/performance.md
 * "Registration"), so a later run with the same database reuses them, adding only the missing ones.
 */
export async function ensureFleet(admin: ApiClient, options: { size: number; database: string; cacheFile: string; onProgress: (done: number, total: number) => void }): Promise<Fleet> {
  const cached = readCache(options.cacheFile, options.database);
  const fleet: Fleet = cached ?? { database: options.database, careTeam: 'bench-pipeline', devices: [] };
  if (fleet.devices.length > 0 && !(await stillRegistered(admin, fleet.devices))) fleet.devices.length = 0;
  const missing = options.size - fleet.devices.length;
  if (missing <= 0) return { ...fleet, devices: fleet.devices.slice(0, options.size) };

  const stamp = Date.now().toString(36);
  let next = 0;
  let done = 0;
  const registerOne = async (): Promise<void> => {
    while (next < missing) {
      const index = next++;
      const patient = await admin.post<PatientResponse>('/api/v1/patients', {
        mrn: `BENCH-${stamp}-${index}`,
        name: 'Bench Patient',
        timezone: 'America/Chicago',
        programs: ['hypertension'],
        careTeamId: fleet.careTeam,
      });
      if (patient.status !== 201) throw new Error(`bench patient not created: ${patient.status} ${JSON.stringify(patient.body)}`);
      const device = await admin.post<DeviceRegistrationResponse>('/api/v1/devices', { deviceId: `bench-${stamp}-${index}`, patientId: patient.body.id, kind: 'bp_cuff' });
      if (device.status !== 201) throw new Error(`bench device not registered: ${device.status} ${JSON.stringify(device.body)}`);
      const { mqtt } = device.body;
      fleet.devices.push({ deviceId: device.body.deviceId, patientId: patient.body.id, url: mqtt.url, username: mqtt.username, password: mqtt.password, topic: mqtt.topic });
      if (++done % 100 === 0 || done === missing) {
        options.onProgress(done, missing);
        writeCache(options.cacheFile, fleet);
      }
    }
  };
  await Promise.all(Array.from({ length: REGISTRATION_CONCURRENCY }, registerOne));
  writeCache(options.cacheFile, fleet);
  return fleet;
}

function readCache(file: string, database: string): Fleet | null {
  if (!existsSync(file)) return null;
  try {
    const fleet = JSON.parse(readFileSync(file, 'utf8')) as Fleet;
    return fleet.database === database && Array.isArray(fleet.devices) ? fleet : null;
  } catch {
    return null;
  }
}

function writeCache(file: string, fleet: Fleet): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(fleet), { mode: 0o600 });
}

/** The first and last cached devices still exist (a reset database or broker invalidates the whole cache). */
async function stillRegistered(admin: ApiClient, devices: readonly FleetDevice[]): Promise<boolean> {
  for (const device of [devices[0], devices[devices.length - 1]]) {
    if (!device) continue;
    const res = await admin.get(`/api/v1/devices/${encodeURIComponent(device.deviceId)}`);
    if (res.status !== 200) return false;
  }
  return true;
}
