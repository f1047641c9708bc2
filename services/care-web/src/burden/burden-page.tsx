import { useState, type FormEvent } from 'react';
import type { AlertBurdenResponse } from '@rpm/contracts';
import { queryString } from '../api/api-client';
import { useSession } from '../auth/session-context';
import { rangeOfDates } from '../backtest/period';
import { PROTOCOL_LABEL, PROTOCOLS } from '../protocols/programmes';
import { navigate, useLocation } from '../ui/router';
import { ErrorState, Forbidden, Loading } from '../ui/states';
import { useResource } from '../ui/use-resource';
import { filtersOfSearch, searchOfFilters, type BurdenFilters } from './burden-filters';
import { BurdenReport } from './burden-report';

const PATH = '/reports/alert-burden';

/**
 * The alert-burden report: per programme and rule, alerts per patient-day, acknowledgement
 * within target and the low-value share, over a period. Who may read it is the API's decision:
 * a 403 shows as such (the navigation offers it to leads and admins only).
 */
export function BurdenPage() {
  const { api, identity } = useSession();
  const location = useLocation();
  const [now] = useState(() => Date.now());
  const applied = filtersOfSearch(location.searchParams, now);
  const [form, setForm] = useState<BurdenFilters>(applied);
  const [formError, setFormError] = useState<string | null>(null);
  const range = rangeOfDates(applied, now);
  const query = 'error' in range ? null : queryString({ from: range.from, to: range.to, programme: applied.programme === 'all' ? undefined : applied.programme, careTeamId: applied.careTeam || undefined });
  const [report, reload] = useResource(`burden${query ?? 'invalid'}`, (signal) =>
    query === null ? Promise.reject(new Error('error' in range ? range.error : 'invalid period')) : api.get<AlertBurdenResponse>(`/reports/alert-burden${query}`, signal),
  );

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const checked = rangeOfDates(form, Date.now());
    if ('error' in checked) {
      setFormError(checked.error);
      return;
    }
    setFormError(null);
    navigate(PATH + searchOfFilters(form, now), { replace: true });
  };

  if (report.kind === 'error' && report.status === 403)
    return (
      <main className="leads-page burden-page" aria-labelledby="burden-heading">
        <h1 id="burden-heading">Alert burden</h1>
        <Forbidden what="The alert-burden report" role={identity.role} />
      </main>
    );
  return (
    <main className="leads-page burden-page" aria-labelledby="burden-heading">
      <h1 id="burden-heading">Alert burden</h1>
      <p className="hint">How many alerts each rule raises per patient-day, how fast they are acknowledged, and how often nurses find nothing to do. Aggregates only: no patient data.</p>
      <form className="filters burden-filters" aria-label="Report filters" onSubmit={apply}>
        <label>
          From
          <input type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} required />
        </label>
        <label>
          To
          <input type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} required />
        </label>
        <label>
          Programme
          <select value={form.programme} onChange={(e) => setForm({ ...form, programme: PROTOCOLS.find((p) => p === e.target.value) ?? 'all' })}>
            <option value="all">All programmes</option>
            {PROTOCOLS.map((p) => (
              <option key={p} value={p}>
                {p === 'general' ? 'No programme (general)' : PROTOCOL_LABEL[p]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Care team
          <input type="text" value={form.careTeam} onChange={(e) => setForm({ ...form, careTeam: e.target.value })} placeholder="every team" maxLength={100} />
        </label>
        <button type="submit" className="primary">
          Show
        </button>
      </form>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      {report.kind === 'loading' && <Loading what="the report" />}
      {report.kind === 'error' && <ErrorState title="The report could not be loaded" message={report.message} onRetry={reload} />}
      {report.kind === 'ready' && <BurdenReport report={report.data} />}
    </main>
  );
}
