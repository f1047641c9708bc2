import type { ObservationSeriesResponse, StoredObservation } from '@rpm/contracts';
import { queryString } from '../api/api-client';
import { useSession } from '../auth/session-context';
import { Empty, ErrorState, Loading } from '../ui/states';
import { useResource } from '../ui/use-resource';
import type { ChartedVital, ThresholdBand } from './chart-bands';
import { VitalChart } from './vital-chart';

/** At most this many readings per component and chart: 30 days of a CGM every 5 min is 8,640. */
const MAX_READINGS = 10_000;

interface VitalPanelProps {
  patientId: string;
  vital: ChartedVital;
  bands: readonly ThresholdBand[];
  triggering: ReadonlySet<string>;
  from: number;
  to: number;
}

/** One vital's readings of the period, loaded on their own so one slow series never holds up the page. */
export function VitalPanel({ patientId, vital, bands, triggering, from, to }: VitalPanelProps) {
  const { api } = useSession();
  const [readings, reload] = useResource(`${patientId}:${vital.key}:${from}`, async (signal) => {
    const series = await Promise.all(
      vital.series.map((s) =>
        api.get<ObservationSeriesResponse>(
          `/patients/${patientId}/observations${queryString({ code: s.code, from: new Date(from).toISOString(), to: new Date(to).toISOString(), limit: MAX_READINGS })}`,
          signal,
        ),
      ),
    );
    return new Map<string, StoredObservation[]>(vital.series.map((s, i) => [s.code, series[i]?.items ?? []]));
  });
  const headingId = `vital-${vital.key}`;
  const count = readings.kind === 'ready' ? [...readings.data.values()].reduce((n, items) => n + items.length, 0) : 0;
  return (
    <section className={`vital-panel${readings.kind === 'ready' && count === 0 ? ' vital-empty' : ''}`} aria-labelledby={headingId} data-vital={vital.key}>
      <h3 id={headingId}>{vital.title}</h3>
      {readings.kind === 'loading' && <Loading what={vital.title.toLowerCase()} />}
      {readings.kind === 'error' && <ErrorState title={`${vital.title} could not be loaded`} message={readings.message} onRetry={reload} />}
      {readings.kind === 'ready' && count === 0 && <Empty title="No readings in the last 30 days" />}
      {readings.kind === 'ready' && count > 0 && (
        <VitalChart
          vital={vital}
          readings={readings.data}
          bands={bands.filter((b) => vital.series.some((s) => s.code === b.code))}
          triggering={triggering}
          from={from}
          to={to}
        />
      )}
    </section>
  );
}
