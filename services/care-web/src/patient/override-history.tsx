import { useCallback, useMemo, useState } from 'react';
import type { EffectiveProtocolResponse, PatientProtocolVersionResponse, RollbackProtocolRequest } from '@rpm/contracts';
import { useSession } from '../auth/session-context';
import { labelsOf } from '../protocols/programmes';
import { ReasonDialog } from '../protocols/reason-dialog';
import { VersionsList, type VersionEntry } from '../protocols/versions-list';
import { ErrorState, Loading } from '../ui/states';
import { useResource } from '../ui/use-resource';

/** Every version of the patient's overrides with its diff, and rollback to any other one (version 1: none). */
export function OverrideHistory({
  patientId,
  protocol,
  onRolledBack,
}: {
  patientId: string;
  protocol: EffectiveProtocolResponse;
  onRolledBack: (p: EffectiveProtocolResponse, text: string) => void;
}) {
  const { api } = useSession();
  const [history, reload] = useResource(`override-history:${patientId}`, (signal) => api.get<PatientProtocolVersionResponse[]>(`/patients/${patientId}/protocol/versions`, signal));
  const [target, setTarget] = useState<number | null>(null);
  const labels = useMemo(() => labelsOf(protocol.rules), [protocol.rules]);
  const currentVersion = protocol.version;
  const rollback = useCallback(
    (reason: string) => {
      const body: RollbackProtocolRequest = { reason };
      return api.post<EffectiveProtocolResponse>(`/patients/${patientId}/protocol/versions/${target ?? 1}/rollback`, body);
    },
    [api, patientId, target],
  );

  if (history.kind === 'loading') return <Loading what="the history" />;
  if (history.kind === 'error') return <ErrorState title="The history could not be loaded" message={history.message} onRetry={reload} />;
  const entries: VersionEntry[] = history.data.map((v) => ({
    version: v.version,
    status: v.version === currentVersion ? 'in force' : null,
    reason: v.reason,
    createdBy: v.createdBy,
    createdAt: v.createdAt,
    details: v.rolledBackFrom !== null ? [`A rollback to the overrides of version ${v.rolledBackFrom}.`] : [],
    changes: v.changes,
    canRollBack: v.version !== currentVersion,
  }));
  if (!entries.some((e) => e.version === 1)) {
    entries.push({
      version: 1,
      title: 'Version 1: at enrolment, no overrides',
      status: currentVersion === 1 ? 'in force' : null,
      reason: null,
      createdBy: null,
      createdAt: null,
      details: [],
      changes: null,
      canRollBack: currentVersion !== 1,
    });
  }
  return (
    <>
      <VersionsList entries={entries} labels={labels} baseLabel="programme value" onRollBack={setTarget} />
      {target !== null && (
        <ReasonDialog
          title={`Roll back the overrides to version ${target}`}
          note={`A new version with the overrides of version ${target} is in force at once, from the patient's next reading.`}
          submitLabel="Roll back"
          action={rollback}
          onClose={() => setTarget(null)}
          onDone={(p) => {
            setTarget(null);
            onRolledBack(p, `Rolled back: the patient's protocol is version ${p.version}, with the overrides of version ${target}.`);
          }}
        />
      )}
    </>
  );
}
