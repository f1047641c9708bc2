import { useCallback, useMemo, useState } from 'react';
import type { ProgrammeProtocolResponse, ProtocolName, ProtocolVersionResponse, RollbackProtocolRequest } from '@rpm/contracts';
import { useSession } from '../auth/session-context';
import { Announcer } from '../dialogs/alert-actions';
import { formatDateTime } from '../ui/format';
import { Link, navigate } from '../ui/router';
import { ErrorState, Forbidden, Loading } from '../ui/states';
import { useAnnouncement } from '../ui/use-announcement';
import { useResource } from '../ui/use-resource';
import { DraftPanel } from './draft-panel';
import { labelsOf, PROTOCOL_LABEL, PROTOCOLS } from './programmes';
import { ReasonDialog } from './reason-dialog';
import { RulesTable } from './rules-table';
import { VersionsList, type VersionEntry } from './versions-list';

function entryOf(v: ProtocolVersionResponse, inForce: number): VersionEntry {
  const details = [
    v.status === 'scheduled' && v.effectiveAt ? `In force from ${formatDateTime(v.effectiveAt)} (scheduled by ${v.publishedBy ?? v.createdBy}).` : null,
    v.publishedAt ? `Published by ${v.publishedBy ?? 'unknown'} on ${formatDateTime(v.publishedAt)}.` : null,
    v.rolledBackFrom !== null ? `A rollback to the settings of version ${v.rolledBackFrom}.` : null,
  ].filter((d): d is string => d !== null);
  return {
    version: v.version,
    status: v.version === inForce ? 'in force' : v.status,
    reason: v.reason,
    createdBy: v.createdBy,
    createdAt: v.createdAt,
    details,
    changes: v.changes,
    // Drafts and scheduled versions were never in force: publish them instead.
    canRollBack: v.version !== inForce && (v.status === 'published' || v.status === 'superseded'),
  };
}

/** One programme's protocol for clinical leads: the rules in force, the draft (edit, backtest, publish), and every version. */
export function ProtocolPage({ programme }: { programme: ProtocolName }) {
  const { api, identity } = useSession();
  const [protocol, reload, update] = useResource(`programme:${programme}`, (signal) => api.get<ProgrammeProtocolResponse>(`/protocols/${programme}`, signal));
  // After a change the page is read again in place: the draft's backtest and the scroll position stay.
  const refresh = useCallback(() => {
    api.get<ProgrammeProtocolResponse>(`/protocols/${programme}`).then((fresh) => update(() => fresh), reload);
  }, [api, programme, update, reload]);
  const [announcement, announce] = useAnnouncement();
  const [starting, setStarting] = useState(false);
  const [rollingBack, setRollingBack] = useState<number | null>(null);
  const data = protocol.kind === 'ready' ? protocol.data : null;
  const labels = useMemo(() => labelsOf(data?.rules ?? []), [data]);
  const changed = useCallback(
    (_: ProtocolVersionResponse, text: string) => {
      announce(text);
      setStarting(false);
      refresh();
    },
    [announce, refresh],
  );
  const rollback = useCallback(
    (reason: string) => {
      const body: RollbackProtocolRequest = { reason };
      return api.post<ProtocolVersionResponse>(`/protocols/${programme}/versions/${rollingBack ?? 1}/rollback`, body);
    },
    [api, programme, rollingBack],
  );

  const draft = data ? ([...data.versions].filter((v) => v.status === 'draft').sort((a, b) => b.version - a.version)[0] ?? null) : null;
  const inForce = data?.versions.find((v) => v.version === data.publishedVersion);
  return (
    <main className="leads-page protocol-page" aria-labelledby="protocol-heading">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/protocols">Protocols</Link> › {PROTOCOL_LABEL[programme]}
      </nav>
      <header className="page-header">
        <h1 id="protocol-heading">{PROTOCOL_LABEL[programme]} protocol</h1>
        <label className="inline-field">
          Programme
          <select value={programme} onChange={(e) => navigate(`/protocols/${e.target.value}`)}>
            {PROTOCOLS.map((p) => (
              <option key={p} value={p}>
                {PROTOCOL_LABEL[p]}
              </option>
            ))}
          </select>
        </label>
      </header>
      {protocol.kind === 'loading' && <Loading what="the protocol" />}
      {protocol.kind === 'error' &&
        (protocol.status === 403 ? (
          <Forbidden what="Changing protocols" role={identity.role} />
        ) : (
          <ErrorState title="The protocol could not be loaded" message={protocol.message} onRetry={reload} />
        ))}
      {data && (
        <>
          <p className="in-force" data-published-version={data.publishedVersion}>
            {data.title}: version <strong>{data.publishedVersion}</strong> in force
            {inForce?.publishedAt ? ` since ${formatDateTime(inForce.publishedAt)}, published by ${inForce.publishedBy ?? 'unknown'}` : ' (the library defaults)'}.
          </p>
          <section aria-labelledby="rules-heading">
            <h2 id="rules-heading">Rules in force</h2>
            <RulesTable rules={data.rules} />
          </section>
          <section aria-labelledby="draft-heading" className="draft-section">
            <h2 id="draft-heading">Draft</h2>
            {draft || starting ? (
              <DraftPanel key={draft?.version ?? 'new'} programme={programme} data={data} draft={draft} onSaved={changed} />
            ) : (
              <p>
                No draft.{' '}
                <button type="button" className="primary" onClick={() => setStarting(true)}>
                  Start a draft from version {data.publishedVersion}
                </button>
              </p>
            )}
          </section>
          <section aria-labelledby="versions-heading">
            <h2 id="versions-heading">Versions</h2>
            <VersionsList
              entries={[
                {
                  version: 1,
                  title: 'Version 1: the library defaults',
                  status: data.publishedVersion === 1 ? 'in force' : null,
                  reason: null,
                  createdBy: null,
                  createdAt: null,
                  details: ['Every rule as libs/clinical-rules defines it (CLINICAL.md).'],
                  changes: null,
                  canRollBack: data.publishedVersion !== 1,
                },
                ...data.versions.map((v) => entryOf(v, data.publishedVersion)),
              ]}
              labels={labels}
              baseLabel="library default"
              onRollBack={setRollingBack}
            />
          </section>
        </>
      )}
      {rollingBack !== null && (
        <ReasonDialog
          title={`Roll back ${PROTOCOL_LABEL[programme]} to version ${rollingBack}`}
          note={`A new version with the settings of version ${rollingBack} is published at once: every patient of the programme is judged by it from their next reading.`}
          submitLabel="Roll back"
          action={rollback}
          onClose={() => setRollingBack(null)}
          onDone={(v) => {
            setRollingBack(null);
            changed(v, `Rolled back: version ${v.version} (the settings of version ${v.rolledBackFrom ?? '?'}) is in force now.`);
          }}
        />
      )}
      <Announcer announcement={announcement} />
    </main>
  );
}
