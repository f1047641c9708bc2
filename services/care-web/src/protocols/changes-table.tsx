import type { ProtocolChange } from '@rpm/contracts';
import { changeLines, type ParameterLabels } from './changes';

const KIND_LABEL = { added: 'set', removed: 'removed', changed: 'changed' } as const;

/** A version's changes against the one before: rule, setting, before → after, why. */
export function ChangesTable({ changes, labels, baseLabel, caption }: { changes: readonly ProtocolChange[]; labels: ParameterLabels; baseLabel: string; caption: string }) {
  if (changes.length === 0) return <p className="hint">No changes against the version before.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table changes">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Setting</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {changeLines(changes, labels, baseLabel).map((line) => (
            <tr key={`${line.ruleId}/${line.setting}`} className={`change-${line.kind}`} data-rule={line.ruleId}>
              <th scope="row">{line.ruleId}</th>
              <td>
                {line.setting} <span className="visually-hidden">({KIND_LABEL[line.kind]})</span>
              </td>
              <td className="before">{line.before}</td>
              <td className="after">{line.after}</td>
              <td>{line.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
