import mqtt, { type MqttClient } from 'mqtt';
import { mqttTlsOptions } from '@rpm/service-kit';

export interface DeviceCredentials {
  readonly url: string;
  readonly username: string;
  readonly password: string;
}

/**
 * Connects as a home device would: MQTT v5, its own credentials; over TLS for an mqtts:// URL
 * (the local broker's certificate checked against .rpm/ca.crt, as every client of ours does).
 */
export async function connectDevice(creds: DeviceCredentials): Promise<MqttClient> {
  const client = mqtt.connect(creds.url, {
    ...mqttTlsOptions(creds.url),
    protocolVersion: 5,
    clientId: `${creds.username}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    username: creds.username,
    password: creds.password,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

/** Publishes QoS 1 and resolves with the broker's PUBACK reason code (0 = accepted). */
export async function publishReading(client: MqttClient, topic: string, payload: string | Buffer): Promise<number> {
  try {
    const packet = await client.publishAsync(topic, payload, { qos: 1 });
    return (packet as { reasonCode?: number } | undefined)?.reasonCode ?? 0;
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (typeof code === 'number') return code;
    throw error;
  }
}

/**
 * Ends the persistent sessions of these client ids (a stopped ingest gateway's): a clean
 * start with no session expiry replaces each, so the broker stops queuing for it.
 */
export async function discardMqttSessions(creds: DeviceCredentials, clientIds: readonly string[]): Promise<void> {
  for (const clientId of clientIds) {
    const client = mqtt.connect(creds.url, {
      ...mqttTlsOptions(creds.url),
      protocolVersion: 5,
      clientId,
      username: creds.username,
      password: creds.password,
      clean: true,
      properties: { sessionExpiryInterval: 0 },
      reconnectPeriod: 0,
      connectTimeout: 5_000,
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.endAsync();
  }
}
