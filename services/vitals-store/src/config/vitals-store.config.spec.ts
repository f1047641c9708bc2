import { loadVitalsStoreConfig, timestreamSettings } from './vitals-store.config';

describe('vitals-store configuration: the Timestream sink', () => {
  it('is off by default, and PostgreSQL alone is written', () => {
    const config = loadVitalsStoreConfig({});
    expect(config.VITALS_TIMESTREAM_ENABLED).toBe(false);
    expect(timestreamSettings(config)).toBeNull();
  });

  it('when enabled, takes database, table, region and the retry settings', () => {
    const config = loadVitalsStoreConfig({
      VITALS_TIMESTREAM_ENABLED: 'true',
      VITALS_TIMESTREAM_DATABASE: 'rpm',
      VITALS_TIMESTREAM_TABLE: 'observations',
      AWS_REGION: 'eu-west-1',
      VITALS_TIMESTREAM_MAX_ATTEMPTS: '5',
    });
    expect(timestreamSettings(config)).toEqual({ database: 'rpm', table: 'observations', region: 'eu-west-1', maxAttempts: 5, backoffBaseMs: 200 });
  });

  it('refuses to start enabled without database, table or region, naming the variables', () => {
    expect(() => loadVitalsStoreConfig({ VITALS_TIMESTREAM_ENABLED: 'true' })).toThrow(
      /VITALS_TIMESTREAM_DATABASE: required when VITALS_TIMESTREAM_ENABLED=true[\s\S]*VITALS_TIMESTREAM_TABLE[\s\S]*AWS_REGION/,
    );
  });

  it.each([
    ['VITALS_TIMESTREAM_ENABLED', 'yes'],
    ['VITALS_TIMESTREAM_MAX_ATTEMPTS', '0'],
    ['VITALS_TIMESTREAM_BACKOFF_BASE_MS', '1'],
    ['AWS_REGION', 'Ireland'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadVitalsStoreConfig({ [name]: value })).toThrow(name);
  });
});
