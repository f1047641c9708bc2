import { loadCareApiConfig } from './care-api.config';

/** The loader as at boot, with only `env` (no .rpm/local.env, no variables of the test process). */
function loadWith(env: Record<string, string>) {
  const saved = process.env;
  process.env = { MQTT_ADMIN_USERNAME: 'rpm-admin', MQTT_ADMIN_PASSWORD: 'pw', ...env, RPM_ENV_FILE: '/nonexistent/rpm-local.env' };
  try {
    return loadCareApiConfig();
  } finally {
    process.env = saved;
  }
}

describe('care-api configuration: the broker it administers and hands to devices', () => {
  const production = { NODE_ENV: 'production', AUTH_MODE: 'oidc', OIDC_ISSUER: 'https://id.example', OIDC_JWKS_URI: 'https://id.example/jwks' };

  it('refuses plain MQTT in production, for its own connection and for the URL devices are given', () => {
    expect(() => loadWith({ ...production, MQTT_URL: 'mqtt://mosquitto:1884' })).toThrow(/MQTT_URL: must be an mqtts:\/\/ URL/);
    expect(() => loadWith({ ...production, MQTT_URL: 'mqtts://mosquitto:8884', MQTT_PUBLIC_URL: 'mqtt://broker.example:1883' })).toThrow(/MQTT_PUBLIC_URL: must be an mqtts:\/\/ URL/);
  });

  it('accepts TLS in production', () => {
    const config = loadWith({ ...production, MQTT_URL: 'mqtts://mosquitto:8884', MQTT_PUBLIC_URL: 'mqtts://broker.example:8883' });
    expect([config.MQTT_URL, config.MQTT_PUBLIC_URL]).toEqual(['mqtts://mosquitto:8884', 'mqtts://broker.example:8883']);
  });

  it('defaults to the local broker over TLS, and allows plain MQTT in development', () => {
    expect(loadWith({ JWT_SECRET: 'x'.repeat(32) }).MQTT_URL).toBe('mqtts://127.0.0.1:8884');
    expect(loadWith({ JWT_SECRET: 'x'.repeat(32), MQTT_URL: 'mqtt://mosquitto:1884' }).MQTT_URL).toBe('mqtt://mosquitto:1884');
  });
});
