import { resolveFleetOptions } from '../runtime/fleet-options';
import { dryRunLines } from './dry-run';

const NOW = Date.parse('2025-06-15T12:00:00Z');
const base = resolveFleetOptions({ patients: 8, days: 3, seed: 99, runId: 'det' });

describe('dry-run output', () => {
  it('is identical for the same seed, run id and "now"', () => {
    const a = dryRunLines(base, NOW);
    expect(a.length).toBeGreaterThan(50);
    expect(dryRunLines({ ...base }, NOW)).toEqual(a);
  });

  it('differs with another seed', () => {
    expect(dryRunLines({ ...base, seed: 100 }, NOW)).not.toEqual(dryRunLines(base, NOW));
  });

  it('keeps the physiology of a seed whatever the run id (only the ids change)', () => {
    const strip = (lines: string[]): string[] => lines.map((l) => l.replace(/sim-[a-z0-9]+-/g, 'sim-X-').replace(/SIM-[A-Z0-9]+-/g, 'SIM-X-'));
    expect(strip(dryRunLines({ ...base, runId: 'other' }, NOW))).toEqual(strip(dryRunLines(base, NOW)));
  });

  it('is JSON lines in publish order, each naming device, topic and reason', () => {
    const parsed = dryRunLines(base, NOW).map((l) => JSON.parse(l) as { publishAt: string; deviceId: string; topic: string; reason: string });
    for (let i = 1; i < parsed.length; i++) expect(parsed[i]!.publishAt >= parsed[i - 1]!.publishAt).toBe(true);
    for (const p of parsed) expect(p.topic).toBe(`rpm/devices/${p.deviceId}/readings`);
  });
});
