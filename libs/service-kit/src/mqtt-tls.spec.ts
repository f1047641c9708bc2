import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { isTlsMqttUrl, localCaFile, mqttTlsOptions, requireTlsMqttInProduction } from './mqtt-tls';
import { workspaceRoot } from './config';

describe('MQTT over TLS: client options', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rpm-mqtt-tls-'));
  const caFile = join(dir, 'ca.crt');
  writeFileSync(caFile, 'ca bytes');
  writeFileSync(join(dir, 'dev.crt'), 'cert bytes');
  writeFileSync(join(dir, 'dev.key'), 'key bytes');

  it('tells TLS URLs from cleartext ones', () => {
    expect(['mqtts://127.0.0.1:8884', 'wss://broker.example/mqtt', 'ssl://h:1', 'tls://h:1'].map(isTlsMqttUrl)).toEqual([true, true, true, true]);
    expect(['mqtt://127.0.0.1:1884', 'ws://h/mqtt', 'not a url', 'MQTTS-ish'].map(isTlsMqttUrl)).toEqual([false, false, false, false]);
  });

  it('never accepts an unverified broker over TLS, and trusts the named CA', () => {
    const options = mqttTlsOptions('mqtts://127.0.0.1:8884', { caFile });
    expect(options.rejectUnauthorized).toBe(true);
    expect(options.ca?.toString()).toBe('ca bytes');
    expect(options.cert).toBeUndefined();
  });

  it('adds a client certificate and key when given (the certificate listener)', () => {
    const options = mqttTlsOptions('mqtts://127.0.0.1:8885', { caFile, certFile: join(dir, 'dev.crt'), keyFile: join(dir, 'dev.key') });
    expect([options.cert?.toString(), options.key?.toString()]).toEqual(['cert bytes', 'key bytes']);
  });

  it('reads nothing for a cleartext URL', () => {
    expect(mqttTlsOptions('mqtt://127.0.0.1:1884', { caFile: join(dir, 'missing.crt') })).toEqual({});
  });

  it('defaults to the local CA that infra/tls.sh writes under .rpm/', () => {
    expect(localCaFile()).toBe(join(workspaceRoot(), '.rpm', 'ca.crt'));
  });
});

describe('MQTT over TLS: production refuses a cleartext broker URL', () => {
  const Schema = z
    .object({ NODE_ENV: z.string(), MQTT_URL: z.string(), MQTT_PUBLIC_URL: z.string().optional() })
    .superRefine((c, ctx) => requireTlsMqttInProduction(c.NODE_ENV, { MQTT_URL: c.MQTT_URL, MQTT_PUBLIC_URL: c.MQTT_PUBLIC_URL }, ctx));
  const refused = (env: Record<string, string>) => {
    const parsed = Schema.safeParse(env);
    return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
  };

  it('names each cleartext URL in production, never its value', () => {
    expect(refused({ NODE_ENV: 'production', MQTT_URL: 'mqtt://broker:1884', MQTT_PUBLIC_URL: 'mqtt://public:1884' })).toEqual(['MQTT_URL', 'MQTT_PUBLIC_URL']);
    const issue = Schema.safeParse({ NODE_ENV: 'production', MQTT_URL: 'mqtt://secret-host:1884' }).error?.issues[0];
    expect(issue?.message).not.toContain('secret-host');
  });

  it('accepts TLS URLs in production and anything in development', () => {
    expect(refused({ NODE_ENV: 'production', MQTT_URL: 'mqtts://broker:8884', MQTT_PUBLIC_URL: 'mqtts://public:8883' })).toEqual([]);
    expect(refused({ NODE_ENV: 'production', MQTT_URL: 'mqtts://broker:8884' })).toEqual([]);
    expect(refused({ NODE_ENV: 'development', MQTT_URL: 'mqtt://127.0.0.1:1884' })).toEqual([]);
  });
});
