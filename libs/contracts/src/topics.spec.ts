import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Topics } from './topics';

describe('topic registry', () => {
  const topics = Object.values(Topics);

  it('names every topic once, versioned', () => {
    expect(new Set(topics.map((t) => t.name)).size).toBe(topics.length);
    for (const t of topics) expect(t.name).toMatch(/^rpm\.[a-z.-]+\.v\d+$/);
  });

  it('matches the topics infra creates, with compaction where the registry says so', () => {
    const tsv = readFileSync(join(__dirname, '..', '..', '..', 'infra', 'kafka', 'topics.tsv'), 'utf8');
    const created = new Map(
      tsv
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('#'))
        .map((l) => l.trim().split(/\s+/))
        .map(([name, , , configs]) => [name, /cleanup\.policy=(\w+)/.exec(configs ?? '')?.[1]] as const),
    );
    for (const t of topics) {
      expect(created.has(t.name)).toBe(true);
      expect(created.get(t.name)).toBe(t.compacted ? 'compact' : 'delete');
    }
  });

  it('gives the rules state as many partitions as the observations, so a patient\'s state sits in its readings\' partition', () => {
    const tsv = readFileSync(join(__dirname, '..', '..', '..', 'infra', 'kafka', 'topics.tsv'), 'utf8');
    const partitions = new Map(tsv.split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.trim().split(/\s+/)).map(([name, count]) => [name, count]));
    expect(partitions.get(Topics.rulesState.name)).toBe(partitions.get(Topics.observations.name));
  });
});
