import { ACVPU_LEVELS, type StoredObservation } from '@rpm/contracts';
import { CODE_OF_TYPE, LOCAL_CODES, LOINC } from '@rpm/vitals';
import { deviceFhirId, observationFhirId } from './fhir-ids';
import {
  INTERPRETATION_SYSTEM,
  OBSERVATION_CATEGORY_SYSTEM,
  ORIGINAL_QUANTITY_EXTENSION,
  UCUM_SYSTEM,
  patientReference,
  type CodeableConcept,
  type Extension,
  type FhirResource,
  type Quantity,
} from './fhir-types';
import { INTERPRETATION_DISPLAY, mostCritical, type InterpretationCode } from './interpretation';
import { COMPONENT_CODES, OBSERVATION_CODES, UCUM_OF_DEVICE_UNIT } from './observation-codes';

/** One reading as the pipeline knows it: the stored component rows of one (device, message, panel code). */
export interface StoredReading {
  readonly patientId: string;
  readonly deviceId: string;
  readonly messageId: string;
  readonly panelCode: string;
  readonly measuredAt: string;
  /** `{deviceId}/{messageId}/{readingType}`, as alert evidence names it. */
  readonly pipelineId: string;
  readonly fhirId: string;
  readonly components: readonly StoredObservation[];
}

const TYPE_OF_CODE = new Map(Object.entries(CODE_OF_TYPE).map(([type, code]) => [code, type]));

/**
 * The stored rows of a patient's series grouped into readings, in the order of their first row.
 * Rows without a natural key (a vitals store older than issue 9) cannot be named stably and are left out.
 */
export function readingsOf(patientId: string, rows: readonly StoredObservation[]): StoredReading[] {
  const byId = new Map<string, { reading: StoredReading; components: StoredObservation[] }>();
  for (const row of rows) {
    if (row.messageId === undefined || row.panelCode === undefined) continue;
    const type = TYPE_OF_CODE.get(row.panelCode);
    if (!type) continue;
    const pipelineId = `${row.deviceId}/${row.messageId}/${type}`;
    const found = byId.get(pipelineId);
    if (found) {
      found.components.push(row);
      continue;
    }
    const components = [row];
    const reading: StoredReading = {
      patientId,
      deviceId: row.deviceId,
      messageId: row.messageId,
      panelCode: row.panelCode,
      measuredAt: row.measuredAt,
      pipelineId,
      fhirId: observationFhirId(patientId, row.measuredAt, pipelineId),
      components,
    };
    byId.set(pipelineId, { reading, components });
  }
  return [...byId.values()].map((v) => v.reading);
}

/** Systolic before diastolic, as the bp profile lists them (rows come in code order, which is the other way). */
const COMPONENT_ORDER: readonly string[] = [LOINC.systolic, LOINC.diastolic, LOINC.oxygenFlow];
const componentRank = (code: string): number => (COMPONENT_ORDER.includes(code) ? COMPONENT_ORDER.indexOf(code) : COMPONENT_ORDER.length);

const quantity = (value: number, unit: string): Quantity => ({ value, unit, system: UCUM_SYSTEM, code: unit });

const interpretationConcept = (code: InterpretationCode): CodeableConcept[] => [
  { coding: [{ system: INTERPRETATION_SYSTEM, code, display: INTERPRETATION_DISPLAY[code] }], text: INTERPRETATION_DISPLAY[code] },
];

/** What the device sent, when it is not what the observation says (183.5 [lb_av] for 83.23 kg). */
function originalQuantity(c: StoredObservation): Extension[] {
  if (c.originalValue === c.value && c.originalUnit === c.unit) return [];
  const ucum = UCUM_OF_DEVICE_UNIT[c.originalUnit];
  return [{ url: ORIGINAL_QUANTITY_EXTENSION, valueQuantity: { value: c.originalValue, unit: c.originalUnit, ...(ucum ? { system: UCUM_SYSTEM, code: ucum } : {}) } }];
}

/** The value[x] of a component row: a quantity, or the coded answer of a reported reading. */
function valueOf(c: StoredObservation): Record<string, unknown> {
  if (c.code === LOINC.consciousness) return { valueCodeableConcept: { text: ACVPU_LEVELS[c.value] ?? String(c.value) } };
  if (c.code === LOCAL_CODES.supplementalOxygen) return { valueBoolean: c.value === 1 };
  return { valueQuantity: quantity(c.value, c.unit) };
}

/**
 * A stored reading as an R4 Observation following the vital-signs profiles (CLINICAL.md 6.1): BP as
 * the 85354-9 panel with systolic and diastolic components and no value of its own, SpO2 with both
 * codings, UCUM quantities, the original device value in an extension, and the interpretation of the
 * rules that fired on it (by component code; `interpretations` is empty for a reading nothing fired on).
 */
export function toFhirObservation(reading: StoredReading, interpretations: ReadonlyMap<string, InterpretationCode>): FhirResource {
  const mapping = OBSERVATION_CODES[reading.panelCode];
  const main = reading.components.find((c) => c.code === reading.panelCode);
  // BP's panel code has no row of its own; supplemental oxygen's flow is a component beside its answer.
  const componentRows = reading.components.filter((c) => c !== main).sort((a, b) => componentRank(a.code) - componentRank(b.code));
  const overall = mostCritical([...interpretations.values()]);
  const extensions = main ? originalQuantity(main) : [];
  return {
    resourceType: 'Observation',
    id: reading.fhirId,
    ...(mapping && mapping.profiles.length > 0 ? { meta: { profile: [...mapping.profiles] } } : {}),
    ...(extensions.length > 0 ? { extension: extensions } : {}),
    identifier: [{ system: 'urn:rpm:observation-natural-key', value: reading.pipelineId }],
    status: 'final',
    category: [
      {
        coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: mapping?.category ?? 'vital-signs', display: categoryDisplay(mapping?.category ?? 'vital-signs') }],
        text: categoryDisplay(mapping?.category ?? 'vital-signs'),
      },
    ],
    code: mapping ? { coding: mapping.codings.map((c) => ({ ...c })), text: mapping.text } : { text: reading.panelCode },
    subject: patientReference(reading.patientId),
    effectiveDateTime: reading.measuredAt,
    device: { reference: `Device/${deviceFhirId(reading.deviceId)}` },
    ...(main ? valueOf(main) : {}),
    ...(overall ? { interpretation: interpretationConcept(overall) } : {}),
    ...(componentRows.length > 0
      ? {
          component: componentRows.map((c) => {
            const own = interpretations.get(c.code);
            const ext = originalQuantity(c);
            return {
              ...(ext.length > 0 ? { extension: ext } : {}),
              code: { coding: [{ ...(COMPONENT_CODES[c.code] ?? { code: c.code }) }], text: COMPONENT_CODES[c.code]?.display ?? c.code },
              ...valueOf(c),
              ...(own ? { interpretation: interpretationConcept(own) } : {}),
            };
          }),
        }
      : {}),
  };
}

function categoryDisplay(category: string): string {
  return category === 'vital-signs' ? 'Vital Signs' : category === 'laboratory' ? 'Laboratory' : 'Survey';
}
