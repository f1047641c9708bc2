import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PALETTE, axisTicks, escapeXml, formatTick, legend, svgDocument, type LegendItem } from './svg';

/** One line of a panel; null (or NaN) where the window had nothing to measure leaves a gap. */
export interface TimelineSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly dashed?: boolean;
  /** Default: the palette in series order. Give a p50 and its p99 one colour (the p99 dashed) to pair them. */
  readonly colour?: string;
}

/** Per-window figures of a bench run: `seconds[i]` is the end of window i since the start. */
export interface Timeline {
  readonly title?: string;
  readonly seconds: readonly number[];
  /** e.g. messages/s in, rows/s stored, evaluations/s. */
  readonly throughput: readonly TimelineSeries[];
  /** e.g. p50 and p99 publish-to-stored and publish-to-alert per window. */
  readonly latencyMs: readonly TimelineSeries[];
  /** Consumer lag per group, records. */
  readonly lag?: readonly TimelineSeries[];
}

const WIDTH = 1100;
const PANEL_HEIGHT = 250;
const MARGIN = { left: 80, right: 30, top: 50 };
const PANEL_GAP = 60;
const PLOT_HEIGHT = PANEL_HEIGHT - 70;

interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly series: readonly TimelineSeries[];
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

function panelSvg(panel: Panel, top: number, seconds: readonly number[], xOf: (s: number) => number, xTicks: readonly number[]): string {
  const plotTop = top + 40;
  const plotBottom = plotTop + PLOT_HEIGHT;
  const yTicks = axisTicks(Math.max(0, ...panel.series.flatMap((s) => s.values.filter(finite))));
  const yMax = yTicks[yTicks.length - 1] as number;
  const yOf = (v: number) => plotBottom - (v / yMax) * PLOT_HEIGHT;
  const right = WIDTH - MARGIN.right;
  const items: LegendItem[] = panel.series.map((s, i) => ({ label: s.label, colour: s.colour ?? (PALETTE[i % PALETTE.length] as string), dashed: s.dashed }));
  const grid = yTicks
    .map((t) => `<line x1="${MARGIN.left}" y1="${yOf(t)}" x2="${right}" y2="${yOf(t)}" stroke="#e5e5e5"/><text x="${MARGIN.left - 8}" y="${yOf(t) + 4}" font-size="11" text-anchor="end">${formatTick(t)}</text>`)
    .join('');
  const xAxis = xTicks
    .map((t) => `<line x1="${xOf(t)}" y1="${plotBottom}" x2="${xOf(t)}" y2="${plotBottom + 4}" stroke="#333"/><text x="${xOf(t)}" y="${plotBottom + 17}" font-size="11" text-anchor="middle">${formatTick(t)}</text>`)
    .join('');
  const lines = panel.series
    .map((s, i) => {
      // Consecutive measured windows form one polyline; a gap starts a new one.
      const runs: string[][] = [[]];
      seconds.forEach((at, k) => {
        const v = s.values[k];
        if (finite(v)) runs[runs.length - 1]?.push(`${xOf(at).toFixed(1)},${yOf(v).toFixed(1)}`);
        else if ((runs[runs.length - 1]?.length ?? 0) > 0) runs.push([]);
      });
      const colour = items[i]?.colour ?? '#000';
      const dash = s.dashed ? ' stroke-dasharray="5 3"' : '';
      return runs
        .filter((r) => r.length > 0)
        .map((r) => (r.length === 1 ? `<circle cx="${r[0]?.split(',')[0]}" cy="${r[0]?.split(',')[1]}" r="2" fill="${colour}"/>` : `<polyline points="${r.join(' ')}" fill="none" stroke="${colour}" stroke-width="1.6"${dash}/>`))
        .join('');
    })
    .join('');
  const axisLabelY = (plotTop + plotBottom) / 2;
  return (
    `<text x="${MARGIN.left}" y="${top + 14}" font-size="14" font-weight="bold">${escapeXml(panel.title)}</text>` +
    legend(items, MARGIN.left, top + 32, 'line') +
    grid +
    `<line x1="${MARGIN.left}" y1="${plotBottom}" x2="${right}" y2="${plotBottom}" stroke="#333"/>` +
    `<line x1="${MARGIN.left}" y1="${plotTop}" x2="${MARGIN.left}" y2="${plotBottom}" stroke="#333"/>` +
    xAxis +
    `<text x="20" y="${axisLabelY}" font-size="12" text-anchor="middle" transform="rotate(-90 20 ${axisLabelY})">${escapeXml(panel.unit)}</text>` +
    `<text x="${(MARGIN.left + right) / 2}" y="${plotBottom + 34}" font-size="12" text-anchor="middle">time since start (s)</text>` +
    lines
  );
}

/** Throughput and latency (and consumer lag, if given) over time as stacked panels sharing the time axis. */
export function timelineSvg(timeline: Timeline): string {
  for (const s of [...timeline.throughput, ...timeline.latencyMs, ...(timeline.lag ?? [])]) {
    if (s.values.length !== timeline.seconds.length) throw new Error(`series "${s.label}" has ${s.values.length} values for ${timeline.seconds.length} windows`);
  }
  const panels: Panel[] = [
    { title: 'Throughput', unit: 'per second', series: timeline.throughput },
    { title: 'Latency', unit: 'milliseconds', series: timeline.latencyMs },
    ...(timeline.lag && timeline.lag.length > 0 ? [{ title: 'Consumer lag', unit: 'records', series: timeline.lag }] : []),
  ];
  const xTicks = axisTicks(Math.max(1, ...timeline.seconds), 10);
  const xMax = xTicks[xTicks.length - 1] as number;
  const xOf = (s: number) => MARGIN.left + (s / xMax) * (WIDTH - MARGIN.left - MARGIN.right);
  const height = MARGIN.top + panels.length * (PANEL_HEIGHT + PANEL_GAP) - PANEL_GAP + 20;
  const body = panels.map((p, i) => panelSvg(p, MARGIN.top + i * (PANEL_HEIGHT + PANEL_GAP), timeline.seconds, xOf, xTicks)).join('');
  return svgDocument(WIDTH, height, `<text x="${MARGIN.left}" y="26" font-size="16" font-weight="bold">${escapeXml(timeline.title ?? 'Pipeline over time')}</text>${body}`);
}

/** Writes the timeline chart to `path` (directories created); returns the path. */
export function writeTimelineSvg(path: string, timeline: Timeline): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, timelineSvg(timeline));
  return path;
}
