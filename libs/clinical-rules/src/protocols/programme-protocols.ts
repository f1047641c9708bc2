import { PROTOCOL_NAMES, type Program, type ProtocolName, type Severity, type Spo2Scale } from '@rpm/contracts';
import { DEFAULT_RULES } from '../default-rules';
import { NEWS2_RULES } from '../news2';
import { TREND_RULES } from '../trends';

/** The general protocol every patient has, plus one per programme (issue 3, section 2). */
export const PROTOCOL_IDS = PROTOCOL_NAMES;
export type ProtocolId = ProtocolName;

/**
 * AD-01 (CLINICAL.md 0 and 5.1, Proposed): no reading for the programme's expected cadence.
 * Daily-measurement programmes expect a reading a day; 48 h of silence raises a low item.
 */
export const MISSING_DATA_RULE = Object.freeze({
  id: 'AD-01',
  title: 'no reading within the expected cadence',
  source: '[NS-README]',
  severity: 'low' as Severity,
  note: 'Proposed: an analogue of Nightscout time-ago alarms for daily spot-check programmes.',
});

export interface ProgrammeProtocol {
  readonly id: ProtocolId;
  readonly version: number;
  readonly title: string;
  /** Rule ids this protocol selects (switched on or off by the rule's own default). */
  readonly rules: readonly string[];
  /** AD-01's cadence; null: this protocol expects no regular readings. */
  readonly cadenceHours: number | null;
  /** The SpO2 scale a patient enrolled in it gets unless a clinician sets another (COPD: 2). */
  readonly spo2Scale: Spo2Scale | null;
}

type Populated = { readonly id: string; readonly population: { readonly kind: string; readonly programs?: readonly Program[] } };

const selectedBy = (id: ProtocolId) => (rule: Populated): boolean =>
  id === 'general' ? rule.population.kind !== 'programs' : (rule.population.programs ?? []).includes(id);

function rulesOf(id: ProtocolId): string[] {
  const populated: Populated[] = [...DEFAULT_RULES, ...TREND_RULES];
  const ids = populated.filter(selectedBy(id)).map((r) => r.id);
  // NEWS2 needs a complete set of seven, whatever the programme.
  return id === 'general' ? [...ids, ...NEWS2_RULES.map((r) => r.id)] : [...ids, MISSING_DATA_RULE.id];
}

const TITLES: Readonly<Record<ProtocolId, string>> = {
  general: 'General (every patient)',
  heart_failure: 'Heart failure',
  hypertension: 'Hypertension',
  copd: 'COPD (hypercapnic, SpO2 scale 2)',
  diabetes: 'Diabetes',
};

/**
 * Version 1 of each protocol: the rule selection follows each rule's population in CLINICAL.md
 * section 0; every daily-measurement programme runs AD-01 at 48 h; COPD patients default to
 * SpO2 scale 2 (CLINICAL.md 1.3: the clinician confirms hypercapnic failure at enrolment).
 */
export const PROGRAMME_PROTOCOLS: Readonly<Record<ProtocolId, ProgrammeProtocol>> = Object.freeze(
  Object.fromEntries(
    PROTOCOL_IDS.map((id) => [
      id,
      Object.freeze<ProgrammeProtocol>({
        id,
        version: 1,
        title: TITLES[id],
        rules: Object.freeze(rulesOf(id)),
        cadenceHours: id === 'general' ? null : 48,
        spo2Scale: id === 'copd' ? 2 : null,
      }),
    ]),
  ) as unknown as Record<ProtocolId, ProgrammeProtocol>,
);

/** The SpO2 scale a new patient gets from their programmes when the clinician set none. */
export function defaultSpo2Scale(programs: readonly Program[]): Spo2Scale {
  return programs.some((p) => PROGRAMME_PROTOCOLS[p].spo2Scale === 2) ? 2 : 1;
}
