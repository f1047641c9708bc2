import { randomBytes, randomInt } from 'node:crypto';
import type { SimulatorEnv } from '../config/simulator.config';
import { quirkRatesOf } from '../config/simulator.config';
import { DEFAULT_QUIRK_RATES, type QuirkRates } from '../fleet/fleet-model';

/** Everything a run needs; the programmatic API (runFleet) takes any subset of it. */
export interface FleetOptions {
  readonly patients: number;
  readonly days: number;
  readonly speed: number;
  readonly once: boolean;
  /** Max publishes per second across the fleet; null = uncapped. */
  readonly ratePerSec: number | null;
  readonly apiUrl: string;
  readonly seed: number;
  /** Namespaces device ids and MRNs so runs never collide. */
  readonly runId: string;
  readonly dryRun: boolean;
  readonly deteriorationShare: number;
  readonly quirks: QuirkRates;
  readonly mixedUnits: boolean;
  readonly mqttUrlOverride: string | null;
  /** The CA the broker's certificate must chain to over TLS; null = the local CA (.rpm/ca.crt), else the system's. */
  readonly mqttCaFile: string | null;
  readonly apiReadyTimeoutMs: number;
  readonly statsIntervalMs: number;
  /** Signs the admin bearer token; required unless dryRun. */
  readonly jwtSecret: string | null;
}

/** Short, sortable-ish and unique enough for a developer machine: base36 seconds + 4 random chars. */
export function newRunId(): string {
  return (Math.floor(Date.now() / 1000).toString(36).slice(-5) + randomBytes(3).toString('hex').slice(0, 4)).toLowerCase();
}

export function resolveFleetOptions(partial: Partial<FleetOptions> = {}): FleetOptions {
  return {
    patients: 20,
    days: 0,
    speed: 3600,
    once: false,
    ratePerSec: null,
    apiUrl: 'http://127.0.0.1:3000',
    seed: randomInt(0, 2 ** 31),
    runId: newRunId(),
    dryRun: false,
    deteriorationShare: 0.3,
    quirks: DEFAULT_QUIRK_RATES,
    mixedUnits: true,
    mqttUrlOverride: null,
    mqttCaFile: null,
    apiReadyTimeoutMs: 60_000,
    statsIntervalMs: 5_000,
    jwtSecret: null,
    ...partial,
  };
}

export function fleetOptionsFromEnv(env: SimulatorEnv): FleetOptions {
  return resolveFleetOptions({
    patients: env.SIM_PATIENTS,
    days: env.SIM_DAYS,
    speed: env.SIM_SPEED,
    once: env.SIM_ONCE,
    ratePerSec: env.SIM_RATE ?? null,
    apiUrl: env.SIM_API_URL,
    ...(env.SIM_SEED !== undefined ? { seed: env.SIM_SEED } : {}),
    ...(env.SIM_RUN_ID !== undefined ? { runId: env.SIM_RUN_ID } : {}),
    dryRun: env.SIM_DRY_RUN,
    deteriorationShare: env.SIM_DETERIORATE_SHARE,
    quirks: quirkRatesOf(env),
    mixedUnits: env.SIM_MIXED_UNITS,
    mqttUrlOverride: env.SIM_MQTT_URL ?? null,
    mqttCaFile: env.MQTT_CA_FILE ?? null,
    apiReadyTimeoutMs: env.SIM_API_WAIT_SECONDS * 1000,
    statsIntervalMs: env.SIM_STATS_EVERY_SECONDS * 1000,
    jwtSecret: env.JWT_SECRET ?? null,
  });
}
