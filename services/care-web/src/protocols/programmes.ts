import type { ProgrammeProtocolResponse, ProtocolName } from '@rpm/contracts';
import type { ParameterLabels } from './changes';
import { parameterLabel } from './settings-model';

/** The protocols a lead edits, in the order the UI lists them (checked against the contract's names). */
export const PROTOCOL_LABEL = {
  general: 'General',
  heart_failure: 'Heart failure',
  hypertension: 'Hypertension',
  copd: 'COPD',
  diabetes: 'Diabetes',
} as const satisfies Record<ProtocolName, string>;

export const PROTOCOLS = Object.keys(PROTOCOL_LABEL) as ProtocolName[];

export function protocolNamed(name: string): ProtocolName | null {
  return PROTOCOLS.find((p) => p === name) ?? null;
}

/** Parameter labels and units of a programme's rules, for its versions' diffs. */
export function labelsOf(rules: ProgrammeProtocolResponse['rules']): ParameterLabels {
  return new Map(rules.flatMap((r) => r.parameters.map((p) => [`${r.id}/${p.parameter}`, { label: parameterLabel(p.description), unit: p.unit }] as const)));
}
