import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { mqttTlsOptions, type MqttTlsOptions } from '@rpm/service-kit';

/** How long a device may take to connect before the run reports it as failed. */
const CONNECT_TIMEOUT_MS = 10_000;
/** After a drop, retry every 5 s: often enough to recover quickly, rare enough not to hammer a broker that refuses us. */
const RECONNECT_PERIOD_MS = 5_000;
/** MQTT 5 reason codes >= 0x80 are failures (0x10 "no matching subscribers" is a success). */
const FIRST_FAILURE_REASON_CODE = 0x80;

export type PublishOutcome = 'acked' | 'refused' | 'error';

export interface DeviceCredentials {
  readonly deviceId: string;
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly topic: string;
}

/** One device's own MQTT session. The fleet runtime talks to this interface; tests fake it. */
export interface DeviceLink {
  readonly deviceId: string;
  readonly topic: string;
  isConnected(): boolean;
  /** Resolves at PUBACK (or failure); never rejects. */
  publish(payload: string): Promise<PublishOutcome>;
  /** Closes after the in-flight PUBACKs have arrived. */
  end(): Promise<void>;
}

export type DeviceConnector = (credentials: DeviceCredentials, onError: (deviceId: string, error: Error) => void) => Promise<DeviceLink>;

/**
 * MQTT v5, clean start, QoS 1, the device's own credentials from its registration. Over TLS
 * (an mqtts:// URL) the broker's certificate must chain to `caFile` (default: the local CA).
 */
export function mqttDeviceConnector({ caFile }: { caFile?: string | undefined } = {}): DeviceConnector {
  // Read once per broker URL, not once per device: a fleet has thousands.
  const tlsByUrl = new Map<string, MqttTlsOptions>();
  return (credentials, onError) => {
    let tls = tlsByUrl.get(credentials.url);
    if (!tls) tlsByUrl.set(credentials.url, (tls = mqttTlsOptions(credentials.url, { caFile })));
    return connectMqttDevice(credentials, onError, tls);
  };
}

async function connectMqttDevice(credentials: DeviceCredentials, onError: (deviceId: string, error: Error) => void, tls: MqttTlsOptions): Promise<DeviceLink> {
  const options: IClientOptions = {
    ...tls,
    protocolVersion: 5,
    clean: true,
    clientId: credentials.deviceId,
    username: credentials.username,
    password: credentials.password,
    connectTimeout: CONNECT_TIMEOUT_MS,
    reconnectPeriod: RECONNECT_PERIOD_MS,
  };
  const client = mqtt.connect(credentials.url, options);
  await waitForFirstConnect(client, credentials.deviceId);
  client.on('error', (err) => onError(credentials.deviceId, err));
  return new MqttDeviceLink(client, credentials);
}

function waitForFirstConnect(client: MqttClient, deviceId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error): void => {
      cleanup();
      client.end(true);
      reject(new Error(`device ${deviceId}: MQTT connect failed: ${err.message}`));
    };
    const timer = setTimeout(() => fail(new Error(`no CONNACK within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
    const ok = (): void => {
      cleanup();
      resolve();
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      client.off('connect', ok);
      client.off('error', fail);
    };
    client.once('connect', ok);
    client.once('error', fail);
  });
}

class MqttDeviceLink implements DeviceLink {
  readonly deviceId: string;
  readonly topic: string;

  constructor(
    private readonly client: MqttClient,
    credentials: DeviceCredentials,
  ) {
    this.deviceId = credentials.deviceId;
    this.topic = credentials.topic;
  }

  isConnected(): boolean {
    return this.client.connected;
  }

  publish(payload: string): Promise<PublishOutcome> {
    return new Promise((resolve) => {
      this.client.publish(this.topic, payload, { qos: 1 }, (err) => {
        if (!err) return resolve('acked');
        const code = (err as Error & { code?: unknown }).code;
        resolve(typeof code === 'number' && code >= FIRST_FAILURE_REASON_CODE ? 'refused' : 'error');
      });
    });
  }

  async end(): Promise<void> {
    // force=false: mqtt.js waits for the in-flight QoS 1 messages before sending DISCONNECT.
    await this.client.endAsync(false);
  }
}
