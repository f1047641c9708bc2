import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MqttTlsEnv } from '@rpm/service-kit';
import { DEFAULT_QUIRK_RATES, type QuirkRates } from '../fleet/fleet-model';

/**
 * Every option is a CLI flag with an environment fallback. Flags are turned into their
 * environment names and overlaid on the environment, then the one zod schema below parses
 * the lot once (via service-kit's loadConfig), so flags and env can never disagree on rules.
 */
export const FLAG_TO_ENV = {
  patients: 'SIM_PATIENTS',
  days: 'SIM_DAYS',
  speed: 'SIM_SPEED',
  once: 'SIM_ONCE',
  rate: 'SIM_RATE',
  api: 'SIM_API_URL',
  seed: 'SIM_SEED',
  'dry-run': 'SIM_DRY_RUN',
  'run-id': 'SIM_RUN_ID',
  now: 'SIM_NOW',
  deteriorate: 'SIM_DETERIORATE_SHARE',
  'resend-rate': 'SIM_RESEND_RATE',
  'late-rate': 'SIM_LATE_RATE',
  'error-frame-rate': 'SIM_ERROR_FRAME_RATE',
  'skip-day-rate': 'SIM_SKIP_DAY_RATE',
  'mixed-units': 'SIM_MIXED_UNITS',
  'mqtt-url': 'SIM_MQTT_URL',
  'mqtt-ca-file': 'MQTT_CA_FILE',
  'api-wait': 'SIM_API_WAIT_SECONDS',
  'stats-every': 'SIM_STATS_EVERY_SECONDS',
} as const;
type Flag = keyof typeof FLAG_TO_ENV;

const BOOLEAN_FLAGS: readonly Flag[] = ['once', 'dry-run', 'mixed-units'];

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
const share = (fallback: number) => z.coerce.number().min(0).max(1).default(fallback);
const optionalNumber = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const SimulatorEnv = z
  .object({
    SIM_PATIENTS: z.coerce.number().int().min(1).max(100_000).default(20),
    SIM_DAYS: z.coerce.number().min(0).max(365).default(0),
    SIM_SPEED: z.coerce.number().min(0).default(3600),
    SIM_ONCE: bool(false),
    SIM_RATE: optionalNumber(z.coerce.number().positive()),
    SIM_API_URL: z.url().default('http://127.0.0.1:3000'),
    SIM_SEED: optionalNumber(z.coerce.number().int().min(0).max(0xffffffff)),
    SIM_DRY_RUN: bool(false),
    SIM_RUN_ID: z.string().regex(/^[a-z0-9]{1,16}$/, 'lower-case letters and digits, at most 16').optional(),
    SIM_NOW: z.iso.datetime({ offset: true }).optional(),
    SIM_DETERIORATE_SHARE: share(0.3),
    SIM_RESEND_RATE: share(DEFAULT_QUIRK_RATES.resend),
    SIM_LATE_RATE: share(DEFAULT_QUIRK_RATES.lateBatch),
    SIM_ERROR_FRAME_RATE: share(DEFAULT_QUIRK_RATES.errorFrame),
    SIM_SKIP_DAY_RATE: share(DEFAULT_QUIRK_RATES.skipDay),
    SIM_MIXED_UNITS: bool(true),
    SIM_MQTT_URL: z.string().min(1).optional(),
    ...MqttTlsEnv,
    SIM_API_WAIT_SECONDS: z.coerce.number().min(0).default(60),
    SIM_STATS_EVERY_SECONDS: z.coerce.number().positive().default(5),
    /** Signs the admin token for registration; from .rpm/local.env. Not needed for --dry-run. */
    JWT_SECRET: z.string().min(16).optional(),
  })
  .refine((e) => e.SIM_DRY_RUN || e.JWT_SECRET, { message: 'required unless --dry-run (run infra/secrets.sh)', path: ['JWT_SECRET'] })
  .refine((e) => !e.SIM_NOW || (e.SIM_DRY_RUN && e.SIM_ONCE), { message: 'only with --dry-run --once', path: ['SIM_NOW'] })
  .refine((e) => !e.SIM_NOW || Date.parse(e.SIM_NOW) <= Date.now(), { message: 'must not be in the future', path: ['SIM_NOW'] });
export type SimulatorEnv = z.infer<typeof SimulatorEnv>;

export interface CliRequest {
  readonly help: boolean;
  /** Flags as environment names, ready to overlay on the environment. */
  readonly env: Record<string, string>;
}

/** Reads argv into env-named strings; unknown flags throw (node's parseArgs strict mode). */
export function parseCliFlags(argv: readonly string[]): CliRequest {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const flag of Object.keys(FLAG_TO_ENV) as Flag[]) {
    options[flag] = { type: BOOLEAN_FLAGS.includes(flag) ? 'boolean' : 'string' };
    if (BOOLEAN_FLAGS.includes(flag)) options[`no-${flag}`] = { type: 'boolean' };
  }
  const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  const env: Record<string, string> = {};
  for (const flag of Object.keys(FLAG_TO_ENV) as Flag[]) {
    const v = values[flag];
    if (values[`no-${flag}`] === true) env[FLAG_TO_ENV[flag]] = 'false';
    else if (typeof v === 'boolean') env[FLAG_TO_ENV[flag]] = String(v);
    else if (typeof v === 'string') env[FLAG_TO_ENV[flag]] = v;
  }
  return { help: values['help'] === true, env };
}

export function quirkRatesOf(env: SimulatorEnv): QuirkRates {
  return {
    resend: env.SIM_RESEND_RATE,
    lateBatch: env.SIM_LATE_RATE,
    errorFrame: env.SIM_ERROR_FRAME_RATE,
    skipDay: env.SIM_SKIP_DAY_RATE,
  };
}

export const HELP_TEXT = `device-simulator: a fleet of simulated home devices publishing to MQTT

Usage: node scripts/run-ts.js services/device-simulator/src/main.ts [options]

  --patients N          patients in the fleet (default 20)                     SIM_PATIENTS
  --days D              backfill D days of history before running live (0)     SIM_DAYS
  --speed S             simulated seconds per real second while backfilling;
                        0 = as fast as publishing allows (default 3600)        SIM_SPEED
  --once                stop when the backfill reaches now (no live phase)     SIM_ONCE
  --rate R              at most R publishes per second overall (no cap)        SIM_RATE
  --api URL             care-api base URL (http://127.0.0.1:3000)              SIM_API_URL
  --seed N              deterministic physiology, schedules and quirks         SIM_SEED
  --dry-run             print the messages as JSON lines; no API, no MQTT      SIM_DRY_RUN
  --run-id ID           device/MRN namespace (default: random per run)         SIM_RUN_ID
  --now ISO             pretend "now" (only with --dry-run --once)             SIM_NOW
  --deteriorate F       share of patients who deteriorate (0.3)                SIM_DETERIORATE_SHARE
  --resend-rate F       readings re-sent with the same messageId (0.03)        SIM_RESEND_RATE
  --late-rate F         BP/weight readings uploaded 6-72 h late (0.05)         SIM_LATE_RATE
  --error-frame-rate F  cuff sittings preceded by a 2047 error frame (0.01)    SIM_ERROR_FRAME_RATE
  --skip-day-rate F     device-days with no measurement (0.08)                 SIM_SKIP_DAY_RATE
  --no-mixed-units      all devices in canonical units (default: one kPa cuff,
                        one lb scale, one mmol/L meter, one degF thermometer)  SIM_MIXED_UNITS
  --mqtt-url URL        override the broker URL returned at registration       SIM_MQTT_URL
  --mqtt-ca-file FILE   CA of the broker's TLS certificate (default: the local
                        CA .rpm/ca.crt when it exists, else the system's)      MQTT_CA_FILE
  --api-wait SECONDS    how long to wait for care-api to come up (60)          SIM_API_WAIT_SECONDS
  --stats-every SECONDS stats line interval (5)                                SIM_STATS_EVERY_SECONDS
  -h, --help            this text

JWT_SECRET (from .rpm/local.env) signs the admin token used to register patients and devices.
Stats go to stdout as JSON lines (to stderr with --dry-run). Ctrl-C stops cleanly.
`;
