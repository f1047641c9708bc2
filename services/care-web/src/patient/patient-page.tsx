import { useCallback, useMemo, useState } from 'react';
import type { AlertListResponse, AlertResponse, EffectiveProtocolResponse, PatientResponse } from '@rpm/contracts';
import { queryString } from '../api/api-client';
import { useAlertStream } from '../api/alert-stream-context';
import { isLead } from '../auth/roles';
import { useSession } from '../auth/session-context';
import { Announcer, useAlertActions } from '../dialogs/alert-actions';
import { programmeLabel } from '../ui/format';
import { Link } from '../ui/router';
import { Empty, ErrorState, Loading } from '../ui/states';
import { useNow } from '../ui/use-now';
import { useResource } from '../ui/use-resource';
import { compareWorklist } from '../queue/worklist-filters';
import { AlertCard } from './alert-card';
import { CHARTED_VITALS, thresholdBands } from './chart-bands';
import { OverridesSection } from './overrides-section';
import { ProtocolTable } from './protocol-table';
import { VitalPanel } from './vital-panel';

const PERIOD_MS = 30 * 86_400_000;
/** The patient's alerts shown: open ones first, then the most recent past ones. */
const ALERT_LIMIT = 200;

/** A patient: 30 days of vitals against their thresholds, open and past alerts explained, the protocol. */
export function PatientPage({ patientId }: { patientId: string }) {
  const { api, identity } = useSession();
  const now = useNow();
  const [period] = useState(() => ({ from: Date.now() - PERIOD_MS, to: Date.now() }));
  const [patient, reloadPatient] = useResource(`patient:${patientId}`, (signal) => api.get<PatientResponse>(`/patients/${patientId}`, signal));
  const [protocol, reloadProtocol, updateProtocol] = useResource(`protocol:${patientId}`, (signal) => api.get<EffectiveProtocolResponse>(`/patients/${patientId}/protocol`, signal));
  const [alerts, reloadAlerts, updateAlerts] = useResource(`alerts:${patientId}`, async (signal) => {
    const page = await api.get<AlertListResponse>(`/alerts${queryString({ patientId, includeSnoozed: true, limit: ALERT_LIMIT })}`, signal);
    return page.items;
  });

  const upsert = useCallback(
    (alert: AlertResponse) => updateAlerts((list) => [...list.filter((a) => a.id !== alert.id), alert].filter((a) => a.patientId === patientId)),
    [updateAlerts, patientId],
  );
  const actions = useAlertActions(upsert);
  useAlertStream((message) => {
    if (message.kind === 'resync') reloadAlerts();
    else if (message.event.patientId === patientId) api.get<AlertResponse>(`/alerts/${message.event.alertId}`).then(upsert, () => reloadAlerts());
  });

  const bands = useMemo(() => (protocol.kind === 'ready' ? thresholdBands(protocol.data) : []), [protocol]);
  const list = alerts.kind === 'ready' ? alerts.data : [];
  const open = list.filter((a) => a.status !== 'resolved').sort(compareWorklist);
  const past = list.filter((a) => a.status === 'resolved').sort((a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? ''));
  const triggering = useMemo(() => new Set(list.flatMap((a) => a.observations.map((o) => `${o.code}@${o.measuredAt}`))), [list]);

  if (patient.kind === 'loading') return <Loading what="the patient" />;
  if (patient.kind === 'error')
    return (
      <main className="patient-page">
        <Link to="/">← Back to the worklist</Link>
        <ErrorState title={patient.status === 404 ? 'Patient not found' : 'The patient could not be loaded'} message={patient.status === 404 ? 'No patient with this id in your care teams.' : patient.message} onRetry={reloadPatient} />
      </main>
    );

  const p = patient.data;
  const card = (alert: AlertResponse) => (
    <AlertCard key={alert.id} alert={alert} now={now} onAcknowledge={() => void actions.acknowledge(alert)} onDialog={(kind) => actions.openDialog(kind, alert)} />
  );
  return (
    <main className="patient-page" aria-labelledby="patient-heading">
      <nav aria-label="Breadcrumb">
        <Link to="/">← Back to the worklist</Link>
      </nav>
      <header className="patient-header">
        <h1 id="patient-heading">{p.name}</h1>
        <p>
          MRN {p.mrn} · {p.programs.length ? p.programs.map(programmeLabel).join(', ') : 'no programme'} · care team {p.careTeamId ?? 'none'} · {p.timezone}
        </p>
      </header>

      <section aria-labelledby="alerts-heading" className="patient-alerts">
        <h2 id="alerts-heading">Open alerts</h2>
        {alerts.kind === 'loading' && <Loading what="alerts" />}
        {alerts.kind === 'error' && <ErrorState title="Alerts could not be loaded" message={alerts.message} onRetry={reloadAlerts} />}
        {alerts.kind === 'ready' && (open.length === 0 ? <Empty title="No open alerts" /> : <div className="cards">{open.map(card)}</div>)}
      </section>

      <section aria-labelledby="vitals-heading" className="vitals">
        <h2 id="vitals-heading">Vitals, last 30 days</h2>
        {protocol.kind === 'error' && <p className="hint">Threshold bands are missing: the protocol could not be loaded.</p>}
        <div className="vital-grid">
          {CHARTED_VITALS.map((vital) => (
            <VitalPanel key={vital.key} patientId={patientId} vital={vital} bands={bands} triggering={triggering} from={period.from} to={period.to} />
          ))}
        </div>
      </section>

      <section aria-labelledby="past-heading" className="patient-alerts">
        <h2 id="past-heading">Past alerts</h2>
        {alerts.kind === 'ready' && (past.length === 0 ? <Empty title="No resolved alerts" /> : <div className="cards">{past.map(card)}</div>)}
      </section>

      <section aria-labelledby="protocol-heading" className="protocol">
        <h2 id="protocol-heading">Effective protocol</h2>
        {protocol.kind === 'loading' && <Loading what="the protocol" />}
        {protocol.kind === 'error' && <ErrorState title="The protocol could not be loaded" message={protocol.message} onRetry={reloadProtocol} />}
        {protocol.kind === 'ready' && <ProtocolTable protocol={protocol.data} />}
      </section>
      {isLead(identity.role) && protocol.kind === 'ready' && <OverridesSection patientId={patientId} protocol={protocol.data} onChanged={(next) => updateProtocol(() => next)} />}
      {actions.dialog}
      <Announcer announcement={actions.announcement} />
    </main>
  );
}
