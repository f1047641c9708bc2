import { expandQuery, intervalSeconds } from './grafana-macros';

const ctx = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T12:00:00.500Z'), interval: '1h', variables: { patient: 'p-1' } };

describe('expandQuery (Grafana PostgreSQL macros)', () => {
  it('expands the time filter, range bounds and time groups as Grafana does', () => {
    expect(expandQuery('SELECT $__timeGroupAlias(t, $__interval), 1 FROM x WHERE $__timeFilter(t) AND $__timeFrom() < $__timeTo()', ctx)).toBe(
      `SELECT floor(extract(epoch from t)/3600)*3600 AS "time", 1 FROM x WHERE t BETWEEN '2026-01-01T00:00:00Z' AND '2026-01-02T12:00:00Z' AND '2026-01-01T00:00:00Z' < '2026-01-02T12:00:00Z'`,
    );
  });

  it("replaces dashboard variables in both spellings and accepts quoted intervals ('1d')", () => {
    expect(expandQuery(`SELECT '$patient', '\${patient}', $__timeGroup(t, '1d'), $__interval_ms`, ctx)).toBe(
      `SELECT 'p-1', 'p-1', floor(extract(epoch from t)/86400)*86400, 3600000`,
    );
  });

  it('refuses a macro or variable it does not know, so no panel query goes unchecked', () => {
    expect(() => expandQuery('SELECT $__unixEpochFilter(t)', ctx)).toThrow(/not implemented/);
    expect(() => expandQuery('SELECT $nobody', ctx)).toThrow(/no value for variable/);
  });

  it.each([['5m', 300], ["'1d'", 86_400], ['500ms', 0.5]])('reads the interval %s as %d s', (text, seconds) => {
    expect(intervalSeconds(text)).toBe(seconds);
  });
});
