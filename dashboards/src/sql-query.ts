import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as common from '@grafana/grafana-foundation-sdk/common';

/** How a result column is checked against the real schema (dashboards/test/postgres-panels.int-spec.ts). */
export type ColumnKind = 'time' | 'number' | 'text';

/** What Grafana's SQL data sources accept: time_series wants a `time` column; table takes rows as they are. */
export type SqlFormat = 'time_series' | 'table';

export interface SqlQuery extends cog.Dataquery {
  refId?: string;
  hide?: boolean;
  datasource?: common.DataSourceRef;
  /** Code mode: the SQL below is the query, not something the visual builder generated. */
  editorMode: 'code';
  rawQuery: true;
  format: SqlFormat;
  rawSql: string;
}

/**
 * The columns each query promises its panel, keyed by the SQL text. Filled as dashboards are
 * built and read by the integration test, which runs every SQL target of the generated JSON
 * and fails for one without an entry here: no query reaches a dashboard unchecked.
 */
const expectedColumns = new Map<string, Readonly<Record<string, ColumnKind>>>();

export function expectedColumnsOf(rawSql: string): Readonly<Record<string, ColumnKind>> | undefined {
  return expectedColumns.get(rawSql);
}

/**
 * The foundation SDK ships no builder for the PostgreSQL data source, so this is one in the
 * shape its README gives for custom query types (a Builder<Dataquery> that panels accept).
 */
export class SqlQueryBuilder implements cog.Builder<cog.Dataquery> {
  private readonly query: SqlQuery;

  constructor(rawSql: string, format: SqlFormat, columns: Readonly<Record<string, ColumnKind>>) {
    const sql = rawSql.trim();
    if (format === 'time_series' && columns['time'] !== 'time') throw new Error(`a time_series query needs a "time" column: ${sql.slice(0, 60)}`);
    expectedColumns.set(sql, columns);
    this.query = { editorMode: 'code', rawQuery: true, format, rawSql: sql, _implementsDataqueryVariant() {} };
  }

  refId(refId: string): this {
    this.query.refId = refId;
    return this;
  }

  datasource(ref: common.DataSourceRef): this {
    this.query.datasource = ref;
    return this;
  }

  build(): SqlQuery {
    return this.query;
  }
}
