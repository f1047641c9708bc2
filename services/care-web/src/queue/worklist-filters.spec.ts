import type { AlertResponse } from '@rpm/contracts';
import { compareWorklist, DEFAULT_FILTERS, filtersFromSearch, matchesFilters, placeAlert, searchOfFilters } from './worklist-filters';

const NOW = Date.parse('2025-06-01T12:00:00Z');

function anAlert(overrides: Partial<AlertResponse> = {}): AlertResponse {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    patientId: '00000000-0000-4000-8000-0000000000aa',
    patient: { name: 'A Patient', mrn: 'MRN-1', programs: ['heart_failure'] },
    ruleId: 'BP-02',
    ruleSource: '[HYPO]',
    severity: 'medium',
    kind: 'alert',
    status: 'open',
    raisedAt: '2025-06-01T10:00:00.000Z',
    measuredAt: '2025-06-01T10:00:00.000Z',
    updatedAt: '2025-06-01T10:00:00.000Z',
    summary: 'low blood pressure',
    threshold: 'Systolic < 90 mm[Hg]',
    retrospective: false,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    disposition: null,
    note: null,
    observations: [],
    explanation: null,
    breaches: 1,
    returnedToNormalAt: null,
    queue: 'clinical',
    assignedTo: null,
    assignedAt: null,
    snoozedUntil: null,
    acknowledgeBy: '2025-06-01T14:00:00.000Z',
    escalatedAt: null,
    escalatedTo: null,
    notes: [],
    ...overrides,
  };
}

describe('worklist filters', () => {
  it('keep the address plain for the defaults and round-trip the others', () => {
    expect(searchOfFilters(DEFAULT_FILTERS)).toBe('/');
    const filters = { ...DEFAULT_FILTERS, queue: 'adherence', assignee: 'me' } as const;
    expect(filtersFromSearch(new URL(searchOfFilters(filters), 'http://x').searchParams)).toEqual(filters);
    expect(filtersFromSearch(new URLSearchParams('queue=nonsense'))).toEqual(DEFAULT_FILTERS);
  });

  it.each([
    ['an open clinical alert in the default view', anAlert(), DEFAULT_FILTERS, true],
    ['an acknowledged one in the active view', anAlert({ status: 'acknowledged' }), DEFAULT_FILTERS, true],
    ['a resolved one in the active view', anAlert({ status: 'resolved' }), DEFAULT_FILTERS, false],
    ['an adherence item in the clinical queue', anAlert({ queue: 'adherence' }), DEFAULT_FILTERS, false],
    ['one assigned to someone else under "me"', anAlert({ assignedTo: 'bob' }), { ...DEFAULT_FILTERS, assignee: 'me' }, false],
    ['one assigned to me under "me"', anAlert({ assignedTo: 'alice' }), { ...DEFAULT_FILTERS, assignee: 'me' }, true],
    ['an assigned one under "none"', anAlert({ assignedTo: 'alice' }), { ...DEFAULT_FILTERS, assignee: 'none' }, false],
    ['a heart-failure patient under copd', anAlert(), { ...DEFAULT_FILTERS, programme: 'copd' }, false],
    ['a patient in no programme under general', anAlert({ patient: { name: 'B', mrn: 'M', programs: [] } }), { ...DEFAULT_FILTERS, programme: 'general' }, true],
    ['a snoozed one', anAlert({ snoozedUntil: '2025-06-01T13:00:00.000Z' }), DEFAULT_FILTERS, false],
    ['one whose snooze ended', anAlert({ snoozedUntil: '2025-06-01T11:00:00.000Z' }), DEFAULT_FILTERS, true],
  ] as const)('%s: %s', (_what, alert, filters, expected) => {
    expect(matchesFilters(alert, filters, 'alice', NOW)).toBe(expected);
  });

  it('orders most severe first, then oldest, and places live updates in that order', () => {
    const oldLow = anAlert({ id: 'a', severity: 'low', raisedAt: '2025-06-01T08:00:00.000Z' });
    const newHigh = anAlert({ id: 'b', severity: 'high', raisedAt: '2025-06-01T11:00:00.000Z' });
    const oldHigh = anAlert({ id: 'c', severity: 'high', raisedAt: '2025-06-01T09:00:00.000Z' });
    expect([oldLow, newHigh, oldHigh].sort(compareWorklist).map((a) => a.id)).toEqual(['c', 'b', 'a']);
    const list = placeAlert([oldHigh, oldLow], newHigh, true);
    expect(list.map((a) => a.id)).toEqual(['c', 'b', 'a']);
    expect(placeAlert(list, { ...newHigh, status: 'resolved' }, false).map((a) => a.id)).toEqual(['c', 'a']);
  });
});
