import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALERT_RULES, ALERT_RULES_FILE, renderAlertRules } from '../src/alert-rules';
import { exportedSeries } from './exported-metrics';
import { metricNamesOf } from './promql';

const ROOT = join(__dirname, '..', '..');

describe('Prometheus alerting rules', () => {
  it(`${ALERT_RULES_FILE} is what dashboards/src/alert-rules.ts generates (run npm run dashboards)`, () => {
    expect(readFileSync(join(ROOT, ALERT_RULES_FILE), 'utf8')).toBe(renderAlertRules());
  });

  it('names each rule once, with a Prometheus duration', () => {
    expect(new Set(ALERT_RULES.map((r) => r.alert)).size).toBe(ALERT_RULES.length);
    for (const rule of ALERT_RULES) expect({ alert: rule.alert, for: rule.for }).toEqual({ alert: rule.alert, for: expect.stringMatching(/^\d+[smh]$/) });
  });

  it('reads only metrics the services export', async () => {
    const exported = await exportedSeries(ROOT);
    for (const rule of ALERT_RULES) {
      const names = metricNamesOf(rule.expr);
      expect({ alert: rule.alert, count: names.length > 0 }).toEqual({ alert: rule.alert, count: true });
      expect({ alert: rule.alert, unknown: names.filter((n) => !exported.has(n)) }).toEqual({ alert: rule.alert, unknown: [] });
    }
  });

  it("has a section in docs/operations.md for each rule (the rule's runbook link)", () => {
    const headings = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('#'))
      .map((line) => line.replace(/^#+\s*/, '').trim().toLowerCase());
    expect(ALERT_RULES.map((r) => r.alert.toLowerCase()).filter((anchor) => !headings.includes(anchor))).toEqual([]);
  });
});
