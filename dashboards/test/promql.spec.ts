import { metricNamesOf } from './promql';

describe('metricNamesOf', () => {
  it.each([
    ['up', ['up']],
    ['sum by (type) (rate(rpm_ingest_readings_accepted_total[$__rate_interval]))', ['rpm_ingest_readings_accepted_total']],
    ['histogram_quantile(0.95, sum by (le) (rate(rpm_vitals_write_seconds_bucket{job="vitals-store"}[5m])))', ['rpm_vitals_write_seconds_bucket']],
    ['sum(rate(a_sum[1m])) / sum(rate(a_count[1m])) by (job)', ['a_sum', 'a_count']],
    ['max without (instance) (g) > bool 3 and on (job) group_left (team) other offset 5m', ['g', 'other']],
    ['label_replace(m, "dst", "$1", "src", "(.*)") * 1e-3', ['m']],
    ['rate(x[1h:5m] @ end())', ['x']],
    ['sum(rate(rpm_x_total{reason=~"a|b"}[${interval}]))', ['rpm_x_total']],
  ])('%s reads %j', (expr, expected) => {
    expect(metricNamesOf(expr).sort()).toEqual([...expected].sort());
  });
});
