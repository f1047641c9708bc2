import type { ProgrammeProtocolResponse } from '@rpm/contracts';
import { useSession } from '../auth/session-context';
import { formatDateTime } from '../ui/format';
import { Link } from '../ui/router';
import { ErrorState, Forbidden, Loading } from '../ui/states';
import { useResource } from '../ui/use-resource';
import { PROTOCOL_LABEL, PROTOCOLS } from './programmes';

/** Every protocol with the version in force and what is pending (a draft, a scheduled version). */
export function ProtocolsIndexPage() {
  const { api, identity } = useSession();
  const [all, reload] = useResource('protocols', (signal) => Promise.all(PROTOCOLS.map((p) => api.get<ProgrammeProtocolResponse>(`/protocols/${p}`, signal))));
  return (
    <main className="leads-page" aria-labelledby="protocols-heading">
      <h1 id="protocols-heading">Protocols</h1>
      <p className="hint">The general protocol applies to every patient; each programme's adds its own rules. Open one to change it, backtest the change and publish it.</p>
      {all.kind === 'loading' && <Loading what="the protocols" />}
      {all.kind === 'error' &&
        (all.status === 403 ? <Forbidden what="Protocols" role={identity.role} /> : <ErrorState title="The protocols could not be loaded" message={all.message} onRetry={reload} />)}
      {all.kind === 'ready' && (
        <div className="table-scroll">
          <table className="data-table protocols">
            <thead>
              <tr>
                <th scope="col">Protocol</th>
                <th scope="col">Rules</th>
                <th scope="col">In force</th>
                <th scope="col">Pending</th>
              </tr>
            </thead>
            <tbody>
              {all.data.map((p) => {
                const name = PROTOCOLS.find((n) => n === p.programme) ?? 'general';
                const current = p.versions.find((v) => v.version === p.publishedVersion);
                const pending = p.versions.filter((v) => v.status === 'draft' || v.status === 'scheduled');
                return (
                  <tr key={p.programme} data-programme={p.programme}>
                    <th scope="row">
                      <Link to={`/protocols/${name}`}>{PROTOCOL_LABEL[name]}</Link>
                      <span className="rule-title">{p.title}</span>
                    </th>
                    <td>{p.rules.length}</td>
                    <td>
                      version {p.publishedVersion}
                      <span className="rule-title">{current?.publishedAt ? `since ${formatDateTime(current.publishedAt)}` : 'library defaults'}</span>
                    </td>
                    <td>
                      {pending.length === 0
                        ? '–'
                        : pending.map((v) => (v.status === 'scheduled' && v.effectiveAt ? `version ${v.version} from ${formatDateTime(v.effectiveAt)}` : `draft version ${v.version}`)).join('; ')}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
