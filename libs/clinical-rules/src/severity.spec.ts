import type { Severity } from '@rpm/contracts';
import { SEVERITY_RANK, downgradeSeverity } from './severity';

describe('downgradeSeverity', () => {
  it.each<[Severity, Severity]>([
    ['high', 'medium'],
    ['medium', 'low'],
    ['low', 'low'],
  ])('%s -> %s', (from, to) => {
    expect(downgradeSeverity(from)).toBe(to);
  });

  it('ranks high above medium above low', () => {
    expect(SEVERITY_RANK.high).toBeGreaterThan(SEVERITY_RANK.medium);
    expect(SEVERITY_RANK.medium).toBeGreaterThan(SEVERITY_RANK.low);
  });
});
