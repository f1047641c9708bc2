import type { BacktestComparison, BacktestResponse } from '@rpm/contracts';
import { BarChart } from '../charts/bar-chart';
import { formatRate } from '../charts/bar-scale';
import { SeverityChip } from '../ui/alert-badges';
import { formatDateTime } from '../ui/format';
import { Empty } from '../ui/states';
import { AppearingAlerts, DisappearingAlerts } from './alert-lists';

const SERIES = [
  { name: 'In force', className: 'series-current' },
  { name: 'Draft', className: 'series-draft' },
] as const;

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** The comparison: headline numbers, alerts per rule before and after (chart and table), and the two alert lists. */
export function BacktestResult({ job, result }: { job: BacktestResponse; result: BacktestComparison }) {
  const totals = result.perRule.reduce((t, r) => ({ current: t.current + r.current, draft: t.draft + r.draft }), { current: 0, draft: 0 });
  return (
    <div className="backtest-result" data-backtest-id={job.id}>
      <p className="hint">
        Backtest {job.id}: {result.patients} patients, {formatRate(result.patientDays)} patient-days from {formatDateTime(job.from)} to {formatDateTime(job.to)}
        {result.complete ? '.' : ' (incomplete: cancelled before every patient was replayed).'}
      </p>
      <dl className="tiles">
        <div data-tile="alerts-per-patient-day">
          <dt>Alerts per patient-day</dt>
          <dd>
            <span data-side="current">{formatRate(result.alertsPerPatientDay.current)}</span> → <span data-side="draft">{formatRate(result.alertsPerPatientDay.draft)}</span>
          </dd>
        </div>
        <div data-tile="alerts">
          <dt>Alerts</dt>
          <dd>
            <span data-side="current">{totals.current}</span> → <span data-side="draft">{totals.draft}</span>
          </dd>
        </div>
        <div data-tile="newly-alerted">
          <dt>Patients newly alerted</dt>
          <dd>{result.patientsNewlyAlerted.length}</dd>
        </div>
        <div data-tile="no-longer-alerted">
          <dt>Patients no longer alerted</dt>
          <dd>{result.patientsNoLongerAlerted.length}</dd>
        </div>
      </dl>

      <h4>Alerts per rule, in force and under the draft</h4>
      {result.perRule.length === 0 ? (
        <Empty title="Neither protocol raised an alert in this period">Pick a longer period, or check that the programme's patients sent readings.</Empty>
      ) : (
        <div className="chart-and-table">
          <BarChart
            title="Alerts per rule: in force and under the draft"
            summary={result.perRule.map((r) => `${r.ruleId} ${r.severity}: ${r.current} in force, ${r.draft} under the draft`).join('; ')}
            series={SERIES}
            rows={result.perRule.map((r) => ({ key: `${r.ruleId}/${r.severity}`, label: `${r.ruleId} (${r.severity})`, values: [r.current, r.draft], texts: [String(r.current), String(r.draft)] }))}
          />
          <div className="table-scroll">
            <table className="data-table per-rule">
              <caption className="visually-hidden">Alerts per rule and severity</caption>
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Severity</th>
                  <th scope="col">In force</th>
                  <th scope="col">Draft</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {result.perRule.map((r) => (
                  <tr key={`${r.ruleId}/${r.severity}`} data-rule={r.ruleId} data-severity={r.severity}>
                    <th scope="row">{r.ruleId}</th>
                    <td>
                      <SeverityChip severity={r.severity} />
                    </td>
                    <td className="num" data-side="current">
                      {r.current}
                    </td>
                    <td className="num" data-side="draft">
                      {r.draft}
                    </td>
                    <td className={`num ${r.draft < r.current ? 'fewer' : r.draft > r.current ? 'more' : ''}`}>{signed(r.draft - r.current)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      <DisappearingAlerts alerts={result.disappearing} />
      <AppearingAlerts alerts={result.appearing} />
    </div>
  );
}
