import type { EffectiveProtocolResponse } from '@rpm/contracts';
import { describeProvenance, displayUnit, programmeLabel } from '../ui/format';
import { appliesToPatient } from './chart-bands';

/** The rules that apply to this patient, each value with where it came from. */
export function ProtocolTable({ protocol }: { protocol: EffectiveProtocolResponse }) {
  const programmes = protocol.programs.length ? protocol.programs.map(programmeLabel).join(', ') : 'no programme (general rules)';
  return (
    <>
      <p className="protocol-meta">
        Protocol version {protocol.version} · {programmes} · SpO2 scale {protocol.spo2Scale} · time zone {protocol.timezone}
      </p>
      <div className="table-scroll">
        <table className="protocol-table">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Severity</th>
              <th scope="col">On</th>
              <th scope="col">Thresholds and where they come from</th>
              <th scope="col">Version</th>
            </tr>
          </thead>
          <tbody>
            {protocol.rules.map((rule) => {
              const applies = appliesToPatient(rule, protocol);
              return (
                <tr key={rule.id} className={rule.enabled && applies ? undefined : 'disabled'}>
                  <th scope="row">
                    {rule.id}
                    <span className="rule-title">{rule.title}</span>
                  </th>
                  <td>{rule.severity}</td>
                  <td>
                    {!applies ? `no: patient on SpO2 scale ${protocol.spo2Scale}` : rule.enabled ? 'yes' : 'no'}
                    {rule.enabledProvenance.source === 'patient_override' && <span className="provenance"> ({describeProvenance(rule.enabledProvenance)})</span>}
                  </td>
                  <td>
                    <ul className="parameters">
                      {rule.parameters.map((p) => (
                        <li key={p.parameter}>
                          {p.description.replace(/\S+$/, (u) => displayUnit(u))}
                          {p.value !== p.defaultValue && <span className="default"> (default {p.defaultValue})</span>}
                          <span className="provenance"> — {describeProvenance(p.provenance)}</span>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{rule.version}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
