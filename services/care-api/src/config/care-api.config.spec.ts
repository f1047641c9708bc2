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

describe('care-api configuration: the EHR push', () => {
  const dev = { JWT_SECRET: 'x'.repeat(32) };

  it('is off unless a FHIR base URL is set (an empty one included), and pushes out-of-range readings by default', () => {
    expect(loadWith(dev).EHR_FHIR_BASE_URL).toBeUndefined();
    expect(loadWith({ ...dev, EHR_FHIR_BASE_URL: '' }).EHR_FHIR_BASE_URL).toBeUndefined();
    const on = loadWith({ ...dev, EHR_FHIR_BASE_URL: 'http://ehr.local/fhir' });
    expect([on.EHR_FHIR_BASE_URL, on.EHR_PUSH_OBSERVATIONS, on.EHR_PUSH_MAX_ATTEMPTS, on.EHR_FHIR_BEARER_TOKEN]).toEqual(['http://ehr.local/fhir', 'out_of_range', 6, undefined]);
    expect(() => loadWith({ ...dev, EHR_PUSH_OBSERVATIONS: 'some' })).toThrow(/EHR_PUSH_OBSERVATIONS/);
  });

  it('refuses a cleartext EHR in production', () => {
    const production = { NODE_ENV: 'production', AUTH_MODE: 'oidc', OIDC_ISSUER: 'https://id.example', OIDC_JWKS_URI: 'https://id.example/jwks', MQTT_URL: 'mqtts://m:8884' };
    expect(() => loadWith({ ...production, EHR_FHIR_BASE_URL: 'http://ehr.example/fhir' })).toThrow(/EHR_FHIR_BASE_URL: must be an https:\/\/ URL/);
    expect(loadWith({ ...production, EHR_FHIR_BASE_URL: 'https://ehr.example/fhir' }).EHR_FHIR_BASE_URL).toBe('https://ehr.example/fhir');
  });
});
