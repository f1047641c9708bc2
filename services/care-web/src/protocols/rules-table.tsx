import type { ProgrammeProtocolResponse } from '@rpm/contracts';
import { describeProvenance, displayUnit, formatNumber } from '../ui/format';
import { parameterLabel } from './settings-model';

/** The rules of a programme as published: on or off, each number with its unit, default and where it came from. */
export function RulesTable({ rules }: { rules: ProgrammeProtocolResponse['rules'] }) {
  return (
    <div className="table-scroll">
      <table className="protocol-table programme-rules">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Severity</th>
            <th scope="col">On</th>
            <th scope="col">Parameters: value, default, set by</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <tr key={rule.id} className={rule.enabled ? undefined : 'disabled'} data-rule={rule.id}>
              <th scope="row">
                {rule.id}
                <span className="rule-title">{rule.title}</span>
              </th>
              <td>{rule.severity}</td>
              <td>
                {rule.enabled ? 'yes' : 'no'}
                {!rule.applies && <span className="provenance"> (only for the other SpO2 scale)</span>}
                {rule.enabledProvenance.setBy && <span className="provenance"> — {describeProvenance(rule.enabledProvenance)}</span>}
              </td>
              <td>
                {rule.parameters.length === 0 ? (
                  <span className="hint">no numbers to tune</span>
                ) : (
                  <ul className="parameters">
                    {rule.parameters.map((p) => (
                      <li key={p.parameter} data-parameter={p.parameter}>
                        {parameterLabel(p.description)}{' '}
                        <strong className="param-value">
                          {formatNumber(p.value, 2)} {displayUnit(p.unit)}
                        </strong>
                        {p.value !== p.defaultValue ? <span className="default"> (default {formatNumber(p.defaultValue, 2)})</span> : <span className="default"> (default)</span>}
                        <span className="provenance"> — {describeProvenance(p.provenance)}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
