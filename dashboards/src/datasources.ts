import type * as common from '@grafana/grafana-foundation-sdk/common';
import { DatasourceVariableBuilder } from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * Every panel reads its data source through a dashboard variable, so an operator's own
 * Grafana can point a dashboard at its own Prometheus or PostgreSQL. The defaults are the
 * uids the compose stack provisions (docker/grafana/provisioning/datasources/rpm.yaml).
 */
export const PROMETHEUS = { type: 'prometheus', uid: 'rpm-prometheus', name: 'RPM Prometheus', variable: 'prometheus' } as const;
/** Grafana 10.1+ names its core PostgreSQL plugin grafana-postgresql-datasource (it was "postgres"). */
export const POSTGRES = { type: 'grafana-postgresql-datasource', uid: 'rpm-postgres', name: 'RPM PostgreSQL', variable: 'postgres' } as const;

type Source = typeof PROMETHEUS | typeof POSTGRES;

export const datasourceRef = (source: Source): common.DataSourceRef => ({ type: source.type, uid: `\${${source.variable}}` });

export const datasourceVariable = (source: Source, label: string): DatasourceVariableBuilder =>
  new DatasourceVariableBuilder(source.variable).label(label).type(source.type).current({ text: source.name, value: source.uid });
