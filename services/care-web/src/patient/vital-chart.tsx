import { useId } from 'react';
import type { StoredObservation } from '@rpm/contracts';
import { describeProvenance, displayUnit, formatDateTime, formatNumber, formatShortDate } from '../ui/format';
import { niceTicks, valueDomain, type ChartedVital, type ThresholdBand } from './chart-bands';

const WIDTH = 720;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 96, bottom: 26, left: 48 };
const DAY_MS = 86_400_000;
/** Least vertical distance between two rule labels (11 px text). */
const LABEL_GAP = 12;
/** Readings listed under each chart for screen readers and exact values: the latest ones. */
const TABLE_ROWS = 30;

export interface ChartData {
  readonly vital: ChartedVital;
  /** Readings per component code, oldest first. */
  readonly readings: ReadonlyMap<string, readonly StoredObservation[]>;
  readonly bands: readonly ThresholdBand[];
  /** `${code}@${measuredAt}` of readings that triggered an alert. */
  readonly triggering: ReadonlySet<string>;
  readonly from: number;
  readonly to: number;
}

/**
 * One vital over the period as a hand-drawn SVG: the readings as lines and points (those that
 * raised an alert ringed), the patient's threshold bands shaded by severity and labelled with
 * their rule, BP mean thresholds as dashed lines. A table of the latest readings sits below it.
 */
export function VitalChart({ vital, readings, bands, triggering, from, to }: ChartData) {
  const titleId = useId();
  const descId = useId();
  const all = vital.series.flatMap((s) => readings.get(s.code) ?? []);
  const [yMin, yMax] = valueDomain(
    all.map((r) => r.value),
    bands,
  );
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (ms: number) => MARGIN.left + ((ms - from) / (to - from)) * plotW;
  const y = (v: number) => MARGIN.top + (1 - (v - yMin) / (yMax - yMin)) * plotH;
  const clampY = (v: number | null, fallback: number) => (v === null ? fallback : Math.min(Math.max(y(v), MARGIN.top), MARGIN.top + plotH));
  // Where each band sits on the plot; a band wholly outside the value range is listed, not drawn.
  const placed = bands.map((band) => {
    const top = band.kind === 'band' ? clampY(band.to, MARGIN.top) : clampY(band.from, MARGIN.top);
    const bottom = band.kind === 'band' ? clampY(band.from, MARGIN.top + plotH) : top;
    const inside = band.kind === 'band' ? bottom - top > 0.5 : band.from !== null && band.from >= yMin && band.from <= yMax;
    return { band, top, bottom, inside, labelY: (top + bottom) / 2 + 4 };
  });
  // Rule labels in the right margin, pushed apart so neighbouring bands' ids stay readable.
  let previous = -Infinity;
  for (const p of [...placed].filter((p) => p.inside).sort((a, b) => a.labelY - b.labelY)) {
    p.labelY = Math.max(p.labelY, previous + LABEL_GAP);
    previous = p.labelY;
  }
  const unit = displayUnit(vital.unit);
  const latest = [...all].sort((a, b) => b.measuredAt.localeCompare(a.measuredAt));
  const dayTicks = Array.from({ length: 5 }, (_, i) => to - (4 - i) * 7 * DAY_MS).filter((t) => t >= from);
  const summary = vital.series
    .map((s) => {
      const values = (readings.get(s.code) ?? []).map((r) => r.value);
      if (values.length === 0) return `${s.label}: no readings`;
      const last = values[values.length - 1] ?? 0;
      return `${s.label}: ${values.length} readings from ${formatNumber(Math.min(...values), vital.decimals)} to ${formatNumber(Math.max(...values), vital.decimals)} ${unit}, latest ${formatNumber(last, vital.decimals)}`;
    })
    .join('; ');

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${titleId} ${descId}`} className="chart-svg">
        <title id={titleId}>{`${vital.title} over the last 30 days`}</title>
        <desc id={descId}>{`${summary}. Thresholds: ${bands.map((b) => `${b.ruleId} ${b.description}`).join('; ') || 'none'}.`}</desc>
        {placed.map(({ band, top, bottom, inside, labelY }, i) =>
          !inside ? null : band.kind === 'band' ? (
            <g key={`${band.ruleId}-${i}`} className={`band band-${band.severity}`} data-rule={band.ruleId}>
              <rect x={MARGIN.left} width={plotW} y={top} height={bottom - top} />
              <text x={WIDTH - MARGIN.right + 4} y={labelY}>
                {band.ruleId}
              </text>
            </g>
          ) : (
            <g key={`${band.ruleId}-${i}`} className="mean-line" data-rule={band.ruleId}>
              <line x1={MARGIN.left} x2={MARGIN.left + plotW} y1={top} y2={top} />
              <text x={WIDTH - MARGIN.right + 4} y={labelY}>
                {band.ruleId} mean
              </text>
            </g>
          ),
        )}
        <g className="axis">
          {niceTicks(yMin, yMax).map((t) => (
            <g key={t}>
              <line x1={MARGIN.left} x2={MARGIN.left + plotW} y1={y(t)} y2={y(t)} className="grid" />
              <text x={MARGIN.left - 6} y={y(t) + 4} textAnchor="end">
                {formatNumber(t, vital.decimals)}
              </text>
            </g>
          ))}
          {dayTicks.map((t) => (
            <text key={t} x={x(t)} y={HEIGHT - 6} textAnchor="middle">
              {formatShortDate(t)}
            </text>
          ))}
          <rect x={MARGIN.left} y={MARGIN.top} width={plotW} height={plotH} className="frame" />
        </g>
        {vital.series.map((s, i) => {
          const points = readings.get(s.code) ?? [];
          return (
            <g key={s.code} className={`series series-${i}`}>
              <polyline points={points.map((r) => `${x(Date.parse(r.measuredAt))},${y(r.value)}`).join(' ')} />
              {points.map((r) => {
                const hit = triggering.has(`${r.code}@${r.measuredAt}`);
                return (
                  <circle key={`${r.deviceId}-${r.measuredAt}`} cx={x(Date.parse(r.measuredAt))} cy={y(r.value)} r={hit ? 5 : 2.5} className={hit ? 'triggering' : undefined}>
                    <title>{`${s.label} ${formatNumber(r.value, vital.decimals)} ${unit}, ${formatDateTime(r.measuredAt)}${hit ? ' (raised an alert)' : ''}`}</title>
                  </circle>
                );
              })}
            </g>
          );
        })}
      </svg>
      <figcaption>
        {vital.series.length > 1 && (
          <span className="legend">
            {vital.series.map((s, i) => (
              <span key={s.code} className={`legend-item series-${i}`}>
                {s.label}
              </span>
            ))}
          </span>
        )}
        {bands.length > 0 && (
          <ul className="band-list" aria-label={`${vital.title} thresholds`}>
            {bands.map((b, i) => (
              <li key={`${b.ruleId}-${i}`} className={`band-key band-${b.kind === 'band' ? b.severity : 'mean'}`}>
                <strong>{b.ruleId}</strong> {b.description.replace(/\S+$/, (u) => displayUnit(u))}
                {b.kind === 'mean-line' ? ' (7-day mean)' : ''} <span className="provenance">— {[...new Set(b.provenance.map(describeProvenance))].join('; ')}</span>
              </li>
            ))}
          </ul>
        )}
      </figcaption>
      <details className="readings-table">
        <summary>Latest readings as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Measured</th>
              <th scope="col">Reading</th>
              <th scope="col">As sent</th>
            </tr>
          </thead>
          <tbody>
            {latest.slice(0, TABLE_ROWS).map((r) => (
              <tr key={`${r.code}-${r.deviceId}-${r.measuredAt}`}>
                <td>{formatDateTime(r.measuredAt)}</td>
                <td>
                  {vital.series.find((s) => s.code === r.code)?.label} {formatNumber(r.value, vital.decimals)} {unit}
                </td>
                <td>
                  {formatNumber(r.originalValue, 1)} {displayUnit(r.originalUnit)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
