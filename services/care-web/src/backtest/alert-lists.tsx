import { useId, useState, type ReactNode } from 'react';
import type { BacktestComparison, ReplayedAlert } from '@rpm/contracts';
import { useSession } from '../auth/session-context';
import { useDispositions } from '../dialogs/dispositions';
import { CHARTED_VITALS } from '../patient/chart-bands';
import { SeverityChip } from '../ui/alert-badges';
import { displayUnit, formatDateTime, formatNumber } from '../ui/format';
import { Link } from '../ui/router';

/** Rows shown before "Show all": a 30-day programme replay can list hundreds. */
const FIRST_ROWS = 50;
/** Readings listed per appearing alert (a trend alert carries a week of them). */
const READINGS_SHOWN = 6;

const LABEL_OF_CODE: ReadonlyMap<string, string> = new Map(CHARTED_VITALS.flatMap((v) => v.series.map((s) => [s.code, s.label])));

type Disappearing = BacktestComparison['disappearing'][number];

function PatientLink({ id }: { id: string }) {
  return (
    <Link to={`/patients/${id}`} title={id}>
      patient {id.slice(0, 8)}
    </Link>
  );
}

function readingsOf(alert: ReplayedAlert): string {
  const shown = alert.observations.slice(0, READINGS_SHOWN).map((o) => `${LABEL_OF_CODE.get(o.code) ?? o.code} ${formatNumber(o.value)} ${displayUnit(o.unit)}`);
  const more = alert.observations.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '') || 'none recorded';
}

function AlertTable({ title, count, note, empty, head, rows }: { title: string; count: number; note?: ReactNode; empty: string; head: ReactNode; rows: (limit: number) => ReactNode }) {
  const [all, setAll] = useState(false);
  const headingId = useId();
  return (
    <section className="alert-list" aria-labelledby={headingId}>
      <h4 id={headingId}>
        {title} ({count})
      </h4>
      {note}
      {count === 0 ? (
        <p className="hint">{empty}</p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="data-table">
              <thead>{head}</thead>
              <tbody>{rows(all ? count : FIRST_ROWS)}</tbody>
            </table>
          </div>
          {count > FIRST_ROWS && (
            <button type="button" className="link-button" onClick={() => setAll(!all)} aria-expanded={all}>
              {all ? `Show the first ${FIRST_ROWS}` : `Show all ${count}`}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** Alerts the protocol in force raised and the draft would not; those a nurse acted on clinically first, flagged. */
export function DisappearingAlerts({ alerts }: { alerts: readonly Disappearing[] }) {
  const { api } = useSession();
  const dispositions = useDispositions(api);
  const labelOf = (code: string) => (dispositions.kind === 'ready' ? (dispositions.items.find((d) => d.code === code)?.label ?? code) : code);
  const sorted = [...alerts].sort((a, b) => Number(b.clinical) - Number(a.clinical) || b.measuredAt.localeCompare(a.measuredAt));
  const clinical = alerts.filter((a) => a.clinical).length;
  return (
    <AlertTable
      title="Would no longer be raised"
      count={alerts.length}
      empty="The draft keeps every alert the protocol in force raised."
      note={
        clinical > 0 && (
          <p className="notice warning" role="note">
            {clinical} of them {clinical === 1 ? 'was' : 'were'} acted on clinically by a nurse: the draft would have hidden {clinical === 1 ? 'it' : 'them'}.
          </p>
        )
      }
      head={
        <tr>
          <th scope="col">Patient</th>
          <th scope="col">Rule</th>
          <th scope="col">Measured</th>
          <th scope="col">Summary</th>
          <th scope="col">Nurse's disposition</th>
        </tr>
      }
      rows={(limit) =>
        sorted.slice(0, limit).map((a) => (
          <tr key={`${a.alertKey}-${a.ruleId}`} className={a.clinical ? 'clinical' : undefined} data-alert-key={a.alertKey} data-clinical={a.clinical}>
            <td>
              <PatientLink id={a.patientId} />
            </td>
            <td>
              {a.ruleId} <SeverityChip severity={a.severity} />
            </td>
            <td>{formatDateTime(a.measuredAt)}</td>
            <td>{a.summary}</td>
            <td>
              {a.disposition ? labelOf(a.disposition) : <span className="hint">not resolved</span>}
              {a.clinical && <span className="badge badge-danger clinical-flag">Acted on clinically</span>}
            </td>
          </tr>
        ))
      }
    />
  );
}

/** Alerts only the draft would raise, with the readings that would raise them. */
export function AppearingAlerts({ alerts }: { alerts: readonly ReplayedAlert[] }) {
  const sorted = [...alerts].sort((a, b) => b.measuredAt.localeCompare(a.measuredAt));
  return (
    <AlertTable
      title="Would newly be raised"
      count={alerts.length}
      empty="The draft raises no alert the protocol in force did not."
      head={
        <tr>
          <th scope="col">Patient</th>
          <th scope="col">Rule</th>
          <th scope="col">Measured</th>
          <th scope="col">Summary</th>
          <th scope="col">Readings</th>
        </tr>
      }
      rows={(limit) =>
        sorted.slice(0, limit).map((a) => (
          <tr key={`${a.alertKey}-${a.ruleId}`} data-alert-key={a.alertKey}>
            <td>
              <PatientLink id={a.patientId} />
            </td>
            <td>
              {a.ruleId} <SeverityChip severity={a.severity} />
            </td>
            <td>{formatDateTime(a.measuredAt)}</td>
            <td>{a.summary}</td>
            <td className="readings">{readingsOf(a)}</td>
          </tr>
        ))
      }
    />
  );
}
