import { loadIngestConfig } from './ingest.config';

/** The loader as at boot, with only `env` (no .rpm/local.env, no variables of the test process). */
function loadWith(env: Record<string, string>) {
  const saved = process.env;
  process.env = { MQTT_INGEST_USERNAME: 'rpm-ingest', MQTT_INGEST_PASSWORD: 'pw', ...env, RPM_ENV_FILE: '/nonexistent/rpm-local.env' };
  try {
    return loadIngestConfig();
  } finally {
    process.env = saved;
  }
}

describe('ingest-gateway configuration: the broker connection', () => {
  it('defaults to the local broker over TLS', () => {
    expect(loadWith({}).MQTT_URL).toBe('mqtts://127.0.0.1:8884');
  });

  it('refuses plain MQTT in production, naming the variable', () => {
    expect(() => loadWith({ NODE_ENV: 'production', MQTT_URL: 'mqtt://mosquitto:1884' })).toThrow(/MQTT_URL: must be an mqtts:\/\/ URL/);
    expect(loadWith({ NODE_ENV: 'production', MQTT_URL: 'mqtts://mosquitto:8884' }).MQTT_URL).toBe('mqtts://mosquitto:8884');
  });

  it('keeps plain MQTT possible in development (local tools, the compose stack)', () => {
    expect(loadWith({ MQTT_URL: 'mqtt://mosquitto:1884' }).MQTT_URL).toBe('mqtt://mosquitto:1884');
  });

  it('refuses a CA file that does not exist', () => {
    expect(() => loadWith({ MQTT_CA_FILE: '/nonexistent/ca.crt' })).toThrow(/MQTT_CA_FILE: no such file/);
  });
});

describe('ingest-gateway configuration: MQTT connections', () => {
  it('opens 8 connections of 100 messages in flight each by default (docs/performance.md, issue 8)', () => {
    expect(loadWith({}).INGEST_MQTT_CONNECTIONS).toBe(8);
    expect(loadWith({}).INGEST_MQTT_RECEIVE_MAXIMUM).toBe(100);
  });

  it('takes another count within 1-64 and refuses one outside', () => {
    expect(loadWith({ INGEST_MQTT_CONNECTIONS: '8' }).INGEST_MQTT_CONNECTIONS).toBe(8);
    expect(() => loadWith({ INGEST_MQTT_CONNECTIONS: '65' })).toThrow(/INGEST_MQTT_CONNECTIONS/);
  });

  it('takes a receive maximum within the MQTT range (1-65535) and refuses one outside', () => {
    expect(loadWith({ INGEST_MQTT_RECEIVE_MAXIMUM: '500' }).INGEST_MQTT_RECEIVE_MAXIMUM).toBe(500);
    expect(() => loadWith({ INGEST_MQTT_RECEIVE_MAXIMUM: '0' })).toThrow(/INGEST_MQTT_RECEIVE_MAXIMUM/);
    expect(() => loadWith({ INGEST_MQTT_RECEIVE_MAXIMUM: '65536' })).toThrow(/INGEST_MQTT_RECEIVE_MAXIMUM/);
  });

  it('refuses a session expiry under a minute: the broker would drop unacknowledged messages with the connection', () => {
    expect(loadWith({ INGEST_SESSION_EXPIRY_SECONDS: '60' }).INGEST_SESSION_EXPIRY_SECONDS).toBe(60);
    expect(() => loadWith({ INGEST_SESSION_EXPIRY_SECONDS: '0' })).toThrow(/INGEST_SESSION_EXPIRY_SECONDS/);
    expect(() => loadWith({ INGEST_SESSION_EXPIRY_SECONDS: String(2 ** 32) })).toThrow(/INGEST_SESSION_EXPIRY_SECONDS/);
  });
});
