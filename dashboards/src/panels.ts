import * as common from '@grafana/grafana-foundation-sdk/common';
import { DashboardBuilder, type Dashboard, ThresholdsConfigBuilder, ThresholdsMode } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder as PrometheusQueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { datasourceRef, POSTGRES, PROMETHEUS } from './datasources';
import { SqlQueryBuilder, type ColumnKind, type SqlFormat } from './sql-query';

/** Grafana's grid is 24 columns wide; a third of it keeps three graphs readable on a laptop. */
export const THIRD = 8;
export const HALF = 12;
const GRAPH_HEIGHT = 8;
const STAT_HEIGHT = 4;

export interface PromSeries {
  readonly expr: string;
  readonly legend: string;
}

export interface SqlSpec {
  readonly sql: string;
  readonly format: SqlFormat;
  readonly columns: Readonly<Record<string, ColumnKind>>;
}

const refIds = (i: number): string => String.fromCharCode(65 + i);

function promTargets(series: readonly PromSeries[]): PrometheusQueryBuilder[] {
  return series.map((s, i) => new PrometheusQueryBuilder().expr(s.expr).legendFormat(s.legend).range().refId(refIds(i)).datasource(datasourceRef(PROMETHEUS)));
}

function sqlTargets(specs: readonly SqlSpec[]): SqlQueryBuilder[] {
  return specs.map((s, i) => new SqlQueryBuilder(s.sql, s.format, s.columns).refId(refIds(i)).datasource(datasourceRef(POSTGRES)));
}

export function promGraph(title: string, description: string, unit: string, series: readonly PromSeries[], width = THIRD): TimeseriesPanelBuilder {
  const panel = new TimeseriesPanelBuilder().title(title).description(description).unit(unit).datasource(datasourceRef(PROMETHEUS)).span(width).height(GRAPH_HEIGHT);
  promTargets(series).forEach((t) => panel.withTarget(t));
  return panel.min(0).fillOpacity(10).showPoints(common.VisibilityMode.Never).legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom));
}

export function promStat(title: string, description: string, unit: string, expr: string, width = THIRD): StatPanelBuilder {
  return new StatPanelBuilder()
    .title(title)
    .description(description)
    .unit(unit)
    .datasource(datasourceRef(PROMETHEUS))
    .span(width)
    .height(STAT_HEIGHT)
    .withTarget(promTargets([{ expr, legend: title }])[0]!)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

export function sqlGraph(title: string, description: string, unit: string, specs: readonly SqlSpec[], width = THIRD): TimeseriesPanelBuilder {
  const panel = new TimeseriesPanelBuilder().title(title).description(description).unit(unit).datasource(datasourceRef(POSTGRES)).span(width).height(GRAPH_HEIGHT);
  sqlTargets(specs).forEach((t) => panel.withTarget(t));
  return panel.fillOpacity(10).legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom));
}

export function sqlStat(title: string, description: string, unit: string, spec: SqlSpec, width = THIRD): StatPanelBuilder {
  return new StatPanelBuilder()
    .title(title)
    .description(description)
    .unit(unit)
    .datasource(datasourceRef(POSTGRES))
    .span(width)
    .height(STAT_HEIGHT)
    .withTarget(sqlTargets([spec])[0]!)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

export function sqlTable(title: string, description: string, spec: SqlSpec, width = HALF): TablePanelBuilder {
  return new TablePanelBuilder().title(title).description(description).datasource(datasourceRef(POSTGRES)).span(width).height(GRAPH_HEIGHT).withTarget(sqlTargets([spec])[0]!);
}

/** Green below the first step, then amber, then red: for counts where any is worth a look. */
export function warnAbove(amber: number, red: number): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([
    { value: null, color: 'green' },
    { value: amber, color: 'orange' },
    { value: red, color: 'red' },
  ]);
}

/**
 * The finished dashboard: panels numbered in order (Grafana wants unique ids, the builder
 * leaves them unset) and a tag every generated dashboard shares.
 */
export function finish(builder: DashboardBuilder): Dashboard {
  const dashboard = builder.build();
  (dashboard.panels ?? []).forEach((panel, i) => {
    panel.id = i + 1;
  });
  return dashboard;
}
