import { randomUUID } from 'node:crypto';
import { deviceReadingsTopic } from '@rpm/contracts';
import { connectDevice, type DeviceCredentials } from './device-client';

const CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
const RESPONSE_TOPIC = `${CONTROL_TOPIC}/response`;
const RESPONSE_TIMEOUT_MS = 5_000;

interface DynsecResponse {
  command: string;
  error?: string;
  correlationData?: string;
}

/** Runs dynamic-security commands as the MQTT admin; the response is matched by its correlationData. */
export async function runDynsecCommands(admin: DeviceCredentials, commands: Record<string, unknown>[]): Promise<DynsecResponse[]> {
  const correlationData = randomUUID();
  const client = await connectDevice(admin);
  try {
    await client.subscribeAsync(RESPONSE_TOPIC, { qos: 1 });
    const answered = new Promise<DynsecResponse[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('dynamic-security did not answer')), RESPONSE_TIMEOUT_MS);
      client.on('message', (topic, payload) => {
        if (topic !== RESPONSE_TOPIC) return;
        const responses = (JSON.parse(payload.toString('utf8')) as { responses?: DynsecResponse[] }).responses ?? [];
        if (!responses.some((r) => r.correlationData === correlationData)) return;
        clearTimeout(timer);
        resolve(responses);
      });
    });
    await client.publishAsync(CONTROL_TOPIC, JSON.stringify({ commands: commands.map((c) => ({ ...c, correlationData })) }), { qos: 1 });
    const responses = await answered;
    const failed = responses.find((r) => r.error);
    if (failed) throw new Error(`dynamic-security refused ${failed.command}: ${failed.error}`);
    return responses;
  } finally {
    await client.endAsync();
  }
}

/**
 * A device's broker identity made directly, as care-api would: may publish only to its own
 * readings topic. No binding is published; that is the test's choice.
 */
export async function createBrokerDevice(admin: DeviceCredentials, deviceId: string): Promise<DeviceCredentials & { topic: string }> {
  const password = randomUUID();
  const topic = deviceReadingsTopic(deviceId);
  await runDynsecCommands(admin, [
    { command: 'createRole', rolename: `device-${deviceId}`, acls: [{ acltype: 'publishClientSend', topic, priority: 0, allow: true }] },
    { command: 'createClient', username: deviceId, password, roles: [{ rolename: `device-${deviceId}`, priority: 0 }] },
  ]);
  return { url: admin.url, username: deviceId, password, topic };
}

/** Removes a device's broker identity (client and role), e.g. in afterAll. */
export async function deleteBrokerDevice(admin: DeviceCredentials, deviceId: string): Promise<void> {
  await runDynsecCommands(admin, [
    { command: 'deleteClient', username: deviceId },
    { command: 'deleteRole', rolename: `device-${deviceId}` },
  ]);
}
