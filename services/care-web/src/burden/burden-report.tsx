import type { AlertBurdenResponse, AlertBurdenRow } from '@rpm/contracts';
import { useSession } from '../auth/session-context';
import { BarChart } from '../charts/bar-chart';
import { formatRate, formatShare } from '../charts/bar-scale';
import { useDispositions } from '../dialogs/dispositions';
import { formatDateTime, programmeLabel } from '../ui/format';
import { Empty } from '../ui/states';
import { burdenTotals } from './burden-filters';

const VALUE = [{ name: 'value', className: 'series-value' }] as const;
const label = (r: AlertBurdenRow) => `${programmeLabel(r.programme)} · ${r.ruleId}`;
const keyOf = (r: AlertBurdenRow) => `${r.programme}/${r.ruleId}`;

/** The report's three charts (per programme and rule) and its table. */
export function BurdenReport({ report }: { report: AlertBurdenResponse }) {
  const { api } = useSession();
  const dispositions = useDispositions(api);
  const labelOf = (code: string) => (dispositions.kind === 'ready' ? (dispositions.items.find((d) => d.code === code)?.label ?? code) : code);
  const { rows } = report;
  const totals = burdenTotals(rows);
  const period = `${formatDateTime(report.from)} to ${formatDateTime(report.to)}`;
  if (rows.length === 0) return <Empty title="No alerts in this period">Nothing was raised for these filters from {period}.</Empty>;
  return (
    <div className="burden-report">
      <dl className="tiles">
        <div data-tile="alerts">
          <dt>Alerts</dt>
          <dd>{totals.alerts}</dd>
        </div>
        <div data-tile="within-target">
          <dt>Acknowledged within target</dt>
          <dd>{formatShare(totals.withinTargetShare)}</dd>
        </div>
        <div data-tile="low-value">
          <dt>Measurement error or no action</dt>
          <dd>{formatShare(totals.lowValueShare)}</dd>
        </div>
      </dl>
      <p className="hint">From {period}.</p>
      <div className="chart-grid">
        <section aria-labelledby="rate-heading">
          <h2 id="rate-heading">Alerts per patient-day</h2>
          <BarChart
            title="Alerts per patient-day, per programme and rule"
            summary={rows.map((r) => `${label(r)}: ${formatRate(r.alertsPerPatientDay)}`).join('; ')}
            series={VALUE}
            rows={rows.map((r) => ({ key: keyOf(r), label: label(r), values: [r.alertsPerPatientDay], texts: [formatRate(r.alertsPerPatientDay)] }))}
          />
        </section>
        <section aria-labelledby="target-heading">
          <h2 id="target-heading">Acknowledged within target</h2>
          <BarChart
            title="Share of alerts acknowledged within their target, per programme and rule"
            summary={rows.map((r) => `${label(r)}: ${formatShare(r.acknowledgedWithinTargetShare)}`).join('; ')}
            series={VALUE}
            rows={rows.map((r) => ({ key: keyOf(r), label: label(r), values: [r.acknowledgedWithinTargetShare], texts: [formatShare(r.acknowledgedWithinTargetShare)] }))}
            max={1}
            formatTick={formatShare}
          />
        </section>
        <section aria-labelledby="low-heading">
          <h2 id="low-heading">Measurement error or no action</h2>
          <BarChart
            title="Share of resolved alerts closed as a measurement error or with no action, per programme and rule"
            summary={rows.map((r) => `${label(r)}: ${formatShare(r.measurementErrorOrNoActionShare)}`).join('; ')}
            series={VALUE}
            rows={rows.map((r) => ({ key: keyOf(r), label: label(r), values: [r.measurementErrorOrNoActionShare], texts: [formatShare(r.measurementErrorOrNoActionShare)] }))}
            max={1}
            formatTick={formatShare}
          />
        </section>
      </div>
      <h2>Per programme and rule</h2>
      <div className="table-scroll">
        <table className="data-table burden-table">
          <thead>
            <tr>
              <th scope="col">Programme</th>
              <th scope="col">Rule</th>
              <th scope="col">Alerts</th>
              <th scope="col">Patient-days</th>
              <th scope="col">Per patient-day</th>
              <th scope="col">Within target</th>
              <th scope="col">Median to acknowledge</th>
              <th scope="col">Resolved</th>
              <th scope="col">Low value</th>
              <th scope="col">Dispositions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={keyOf(r)} data-programme={r.programme} data-rule={r.ruleId}>
                <td>{programmeLabel(r.programme)}</td>
                <th scope="row">{r.ruleId}</th>
                <td className="num" data-col="alerts">
                  {r.alerts}
                </td>
                <td className="num" data-col="patient-days">
                  {formatRate(r.patientDays)}
                </td>
                <td className="num" data-col="per-patient-day">
                  {formatRate(r.alertsPerPatientDay)}
                </td>
                <td className="num" data-col="within-target">
                  {formatShare(r.acknowledgedWithinTargetShare)}
                </td>
                <td className="num" data-col="median-ack">
                  {r.medianMinutesToAcknowledge === null ? '–' : `${Math.round(r.medianMinutesToAcknowledge)} min`}
                </td>
                <td className="num" data-col="resolved">
                  {r.resolved}
                </td>
                <td className="num" data-col="low-value">
                  {formatShare(r.measurementErrorOrNoActionShare)}
                </td>
                <td data-col="dispositions">
                  {Object.entries(r.dispositions)
                    .filter(([, n]) => n > 0)
                    .map(([code, n]) => `${labelOf(code)}: ${n}`)
                    .join(', ') || '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
