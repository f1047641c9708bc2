import type { ProtocolChange } from '@rpm/contracts';
import { formatDateTime } from '../ui/format';
import type { ParameterLabels } from './changes';
import { ChangesTable } from './changes-table';

/** One version in a history: a programme's (draft, scheduled, published, superseded) or a patient's. */
export interface VersionEntry {
  readonly version: number;
  /** "draft", "published", "in force", …; null for none worth showing. */
  readonly status: string | null;
  readonly title?: string;
  readonly reason: string | null;
  readonly createdBy: string | null;
  readonly createdAt: string | null;
  /** Further facts: "published by … on …", "in force from …", "rolled back to version 1". */
  readonly details: readonly string[];
  /** Null: the starting version, whose "changes" are the defaults themselves. */
  readonly changes: readonly ProtocolChange[] | null;
  readonly canRollBack: boolean;
}

/** A history, newest first, each version with its diff against the one before, and "roll back to this". */
export function VersionsList({
  entries,
  labels,
  baseLabel,
  onRollBack,
}: {
  entries: readonly VersionEntry[];
  labels: ParameterLabels;
  baseLabel: string;
  onRollBack: (version: number) => void;
}) {
  return (
    <ol className="versions">
      {[...entries]
        .sort((a, b) => b.version - a.version)
        .map((v) => (
          <li key={v.version} className="version" data-version={v.version} data-status={v.status ?? undefined}>
            <header>
              <h4>{v.title ?? `Version ${v.version}`}</h4>
              {v.status && <span className={`chip status version-${v.status.replace(/\s+/g, '-')}`}>{v.status}</span>}
              {v.createdBy && v.createdAt && (
                <span className="version-meta">
                  by {v.createdBy} on {formatDateTime(v.createdAt)}
                </span>
              )}
              {v.canRollBack && (
                <button type="button" className="rollback" onClick={() => onRollBack(v.version)}>
                  Roll back to version {v.version}…
                </button>
              )}
            </header>
            {v.reason && <p className="version-reason">“{v.reason}”</p>}
            {v.details.map((d) => (
              <p key={d} className="hint">
                {d}
              </p>
            ))}
            {v.changes && <ChangesTable changes={v.changes} labels={labels} baseLabel={baseLabel} caption={`Changes of version ${v.version}`} />}
          </li>
        ))}
    </ol>
  );
}
