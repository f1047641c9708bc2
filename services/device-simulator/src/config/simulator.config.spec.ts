import { loadConfig } from '@rpm/service-kit';
import { fleetOptionsFromEnv } from '../runtime/fleet-options';
import { parseCliFlags, SimulatorEnv } from './simulator.config';

const SECRET = { JWT_SECRET: 'x'.repeat(32) };
const load = (argv: string[], env: Record<string, string> = {}) => loadConfig(SimulatorEnv, { ...SECRET, ...env, ...parseCliFlags(argv).env });

describe('simulator configuration', () => {
  it('has the documented defaults', () => {
    const o = fleetOptionsFromEnv(load([]));
    expect(o).toMatchObject({ patients: 20, days: 0, speed: 3600, once: false, ratePerSec: null, apiUrl: 'http://127.0.0.1:3000', dryRun: false, mixedUnits: true });
    expect(o.quirks).toEqual({ resend: 0.03, lateBatch: 0.05, errorFrame: 0.01, skipDay: 0.08 });
    expect(o.runId).toMatch(/^[a-z0-9]+$/);
  });

  it('reads flags, with environment variables as fallbacks and flags winning', () => {
    const o = fleetOptionsFromEnv(load(['--patients', '5', '--once', '--rate', '50', '--seed', '7', '--no-mixed-units'], { SIM_PATIENTS: '9', SIM_DAYS: '3' }));
    expect(o).toMatchObject({ patients: 5, days: 3, once: true, ratePerSec: 50, seed: 7, mixedUnits: false });
  });

  it('rejects nonsense with the variable named, never its value', () => {
    expect(() => load(['--patients', '0'])).toThrow(/SIM_PATIENTS/);
    expect(() => load(['--resend-rate', '2'])).toThrow(/SIM_RESEND_RATE/);
    expect(() => load(['--api', 'not a url'])).toThrow(/SIM_API_URL/);
  });

  it('needs JWT_SECRET unless dry-running', () => {
    expect(() => loadConfig(SimulatorEnv, parseCliFlags([]).env)).toThrow(/JWT_SECRET/);
    expect(loadConfig(SimulatorEnv, parseCliFlags(['--dry-run']).env).SIM_DRY_RUN).toBe(true);
  });

  it('allows --now only for a dry run with --once, and never in the future', () => {
    expect(() => load(['--now', '2025-01-01T00:00:00Z'])).toThrow(/SIM_NOW/);
    expect(load(['--dry-run', '--once', '--now', '2025-01-01T00:00:00Z']).SIM_NOW).toBe('2025-01-01T00:00:00Z');
    expect(() => load(['--dry-run', '--once', '--now', '2999-01-01T00:00:00Z'])).toThrow(/future/);
  });

  it('takes the broker CA for TLS from --mqtt-ca-file or MQTT_CA_FILE, and refuses a missing file', () => {
    expect(fleetOptionsFromEnv(load([])).mqttCaFile).toBeNull();
    expect(fleetOptionsFromEnv(load(['--mqtt-ca-file', __filename])).mqttCaFile).toBe(__filename);
    expect(fleetOptionsFromEnv(load([], { MQTT_CA_FILE: __filename })).mqttCaFile).toBe(__filename);
    expect(() => load(['--mqtt-ca-file', '/nonexistent/ca.crt'])).toThrow(/MQTT_CA_FILE/);
  });

  it('refuses unknown flags', () => {
    expect(() => parseCliFlags(['--patinets', '3'])).toThrow();
    expect(parseCliFlags(['-h']).help).toBe(true);
  });
});
