import { useId } from 'react';
import { barLength, barTicks, formatTick as plainTick, niceMax } from './bar-scale';

export interface BarSeries {
  readonly name: string;
  /** CSS class of its bars and legend key: `series-current`, `series-draft`, `series-value`. */
  readonly className: string;
}

export interface BarRow {
  readonly key: string;
  readonly label: string;
  /** One per series; null: nothing to show (a share of nothing). */
  readonly values: readonly (number | null)[];
  /** The values as the table next to the chart writes them. */
  readonly texts: readonly string[];
}

const WIDTH = 720;
const LABEL_W = 168;
const VALUE_W = 64;
const BAR_H = 12;
const BAR_GAP = 3;
const ROW_GAP = 12;
const TOP = 6;
const AXIS_H = 22;

/**
 * Horizontal bars per row (a rule, a programme's rule), one bar per series (in force and draft),
 * hand-drawn in SVG from zero to a round maximum. The exact numbers are in the table each chart
 * sits beside; the SVG's title and description say what it shows for screen readers.
 */
export function BarChart({
  title,
  summary,
  series,
  rows,
  max,
  formatTick = plainTick,
}: {
  title: string;
  summary: string;
  series: readonly BarSeries[];
  rows: readonly BarRow[];
  /** The axis maximum (1 for shares); by default the largest value, rounded up. */
  max?: number;
  formatTick?: (value: number) => string;
}) {
  const titleId = useId();
  const descId = useId();
  const top = niceMax(max ?? Math.max(0, ...rows.flatMap((r) => r.values.map((v) => v ?? 0))));
  const plotW = WIDTH - LABEL_W - VALUE_W;
  const rowH = series.length * BAR_H + (series.length - 1) * BAR_GAP + ROW_GAP;
  const height = TOP + rows.length * rowH + AXIS_H;
  const x = (v: number) => LABEL_W + barLength(v, top, plotW);
  return (
    <figure className="bar-chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${titleId} ${descId}`} className="chart-svg">
        <title id={titleId}>{title}</title>
        <desc id={descId}>{summary}</desc>
        <g className="axis">
          {barTicks(top).map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={TOP} y2={height - AXIS_H} className="grid" />
              <text x={x(t)} y={height - 6} textAnchor="middle">
                {formatTick(t)}
              </text>
            </g>
          ))}
        </g>
        {rows.map((row, i) => {
          const y0 = TOP + i * rowH + ROW_GAP / 2;
          return (
            <g key={row.key} data-key={row.key}>
              <text x={LABEL_W - 8} y={y0 + (rowH - ROW_GAP) / 2 + 4} textAnchor="end" className="bar-label">
                {row.label}
              </text>
              {series.map((s, j) => {
                const value = row.values[j] ?? null;
                const y = y0 + j * (BAR_H + BAR_GAP);
                return (
                  <g key={s.name} className={`bar ${s.className}`}>
                    <rect x={LABEL_W} y={y} width={value === null ? 0 : Math.max(x(value) - LABEL_W, value > 0 ? 1 : 0)} height={BAR_H} />
                    <text x={(value === null ? LABEL_W : x(value)) + 4} y={y + BAR_H - 2} className="bar-value">
                      {row.texts[j] ?? ''}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
        <line x1={LABEL_W} x2={LABEL_W} y1={TOP} y2={height - AXIS_H} className="baseline" />
      </svg>
      {series.length > 1 && (
        <figcaption className="legend">
          {series.map((s) => (
            <span key={s.name} className={`legend-key ${s.className}`}>
              {s.name}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}
