import type { AlertBurdenRow } from '@rpm/contracts';
import { burdenTotals, filtersOfSearch, searchOfFilters } from './burden-filters';

const NOW = new Date(2025, 5, 15, 9).getTime();

function aRow(overrides: Partial<AlertBurdenRow> = {}): AlertBurdenRow {
  return {
    programme: 'hypertension',
    ruleId: 'BP-06',
    alerts: 4,
    patientDays: 20,
    alertsPerPatientDay: 0.2,
    acknowledged: 3,
    acknowledgedWithinTargetShare: 0.5,
    medianMinutesToAcknowledge: 30,
    resolved: 2,
    dispositions: { no_action_needed: 1, contacted_patient: 1 },
    measurementErrorOrNoActionShare: 0.5,
    ...overrides,
  };
}

describe('burden filters', () => {
  it('defaults to the last 30 days of every programme, and keeps only what differs in the address', () => {
    const defaults = filtersOfSearch(new URLSearchParams(''), NOW);
    expect(defaults).toEqual({ from: '2025-05-16', to: '2025-06-15', programme: 'all', careTeam: '' });
    expect(searchOfFilters(defaults, NOW)).toBe('');
    const picked = { ...defaults, from: '2025-06-01', programme: 'copd' as const, careTeam: ' team-a ' };
    expect(searchOfFilters(picked, NOW)).toBe('?from=2025-06-01&programme=copd&careTeam=team-a');
    expect(filtersOfSearch(new URLSearchParams(searchOfFilters(picked, NOW)), NOW)).toEqual({ ...picked, careTeam: 'team-a' });
  });

  it('ignores unknown programmes and malformed dates', () => {
    expect(filtersOfSearch(new URLSearchParams('programme=cardiology&from=yesterday'), NOW)).toMatchObject({ programme: 'all', from: '2025-05-16' });
  });
});

describe('burdenTotals', () => {
  it('weighs shares by alerts and by resolutions, not by rows', () => {
    const totals = burdenTotals([aRow(), aRow({ ruleId: 'BP-05', alerts: 1, acknowledged: 1, acknowledgedWithinTargetShare: 1, resolved: 0, measurementErrorOrNoActionShare: null })]);
    expect(totals).toEqual({ alerts: 5, acknowledged: 4, resolved: 2, withinTargetShare: 3 / 5, lowValueShare: 0.5 });
    expect(burdenTotals([])).toEqual({ alerts: 0, acknowledged: 0, resolved: 0, withinTargetShare: null, lowValueShare: null });
  });
});
