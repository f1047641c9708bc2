import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { workspaceRoot } from './config';

/** The CA infra/tls.sh generates for this checkout (never committed); it signs the local broker's certificate. */
export function localCaFile(root = workspaceRoot()): string {
  return join(root, '.rpm', 'ca.crt');
}

/** The URL schemes mqtt.js runs over TLS; mqtt:// and ws:// send credentials and readings in clear. */
const TLS_SCHEMES = ['mqtts:', 'wss:', 'ssl:', 'tls:'];

export function isTlsMqttUrl(url: string): boolean {
  try {
    return TLS_SCHEMES.includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** The configuration every MQTT client of ours shares (read through each service's own schema). */
export const MqttTlsEnv = {
  /**
   * The CA the broker's certificate must chain to, for a TLS URL. Unset: the local CA
   * (.rpm/ca.crt) when it exists, else the system's trusted CAs (a broker with a public certificate).
   */
  MQTT_CA_FILE: z
    .string()
    .min(1)
    .refine((file) => existsSync(file), 'no such file')
    .optional(),
};

export interface MqttTlsFiles {
  readonly caFile?: string | undefined;
  /** A client certificate and its key, for the broker's certificate listener (CN = the device id). */
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
}

/** The TLS part of mqtt.js's connect options (structurally; this library does not depend on mqtt). */
export interface MqttTlsOptions {
  readonly rejectUnauthorized?: boolean;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/**
 * TLS options for `mqtt.connect(url, ...)`: for a TLS URL, the broker must present a certificate
 * that chains to the CA and names the host, and an unverifiable one is never accepted; for a
 * cleartext URL, nothing (the files are not read).
 */
export function mqttTlsOptions(url: string, { caFile, certFile, keyFile }: MqttTlsFiles = {}): MqttTlsOptions {
  if (!isTlsMqttUrl(url)) return {};
  const localCa = localCaFile();
  const ca = caFile ?? (existsSync(localCa) ? localCa : undefined);
  return {
    rejectUnauthorized: true,
    ...(ca ? { ca: readFileSync(ca) } : {}),
    ...(certFile ? { cert: readFileSync(certFile) } : {}),
    ...(keyFile ? { key: readFileSync(keyFile) } : {}),
  };
}

/**
 * For a config schema's superRefine: with NODE_ENV=production every broker URL named here must
 * use TLS, as device passwords and the dynsec admin's credentials would otherwise cross the
 * network in clear (the broker's plain listener is switched off there too: RPM_MQTT_PLAIN=off).
 */
export function requireTlsMqttInProduction(nodeEnv: string, urls: Readonly<Record<string, string | undefined>>, ctx: z.RefinementCtx): void {
  if (nodeEnv !== 'production') return;
  for (const [variable, url] of Object.entries(urls)) {
    if (url !== undefined && !isTlsMqttUrl(url)) {
      ctx.addIssue({ code: 'custom', path: [variable], message: 'must be an mqtts:// URL with NODE_ENV=production (plain MQTT is for development)' });
    }
  }
}
