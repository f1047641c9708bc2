import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { clinicalOperationsDashboard } from './clinical-operations.dashboard';
import { patientVitalsDashboard } from './patient-vitals.dashboard';
import { pipelineHealthDashboard } from './pipeline-health.dashboard';

/** Every generated dashboard and the file it is written to under dashboards/generated/. */
export const DASHBOARDS: readonly { readonly file: string; readonly build: () => Dashboard }[] = [
  { file: 'pipeline-health.json', build: pipelineHealthDashboard },
  { file: 'clinical-operations.json', build: clinicalOperationsDashboard },
  { file: 'patient-vitals.json', build: patientVitalsDashboard },
];

/** The file's text: stable key order from the builders, two-space indent, final newline (diff-friendly). */
export const renderDashboard = (dashboard: Dashboard): string => JSON.stringify(dashboard, null, 2) + '\n';
