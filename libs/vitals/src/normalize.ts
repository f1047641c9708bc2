import { ACVPU_LEVELS, type DeviceReading, type ObservationComponent, type ReadingType } from '@rpm/contracts';
import { CODE_OF_TYPE, LOCAL_CODES, LOINC, UCUM } from './codes';
import { implausibility, PLAUSIBLE, SFLOAT_NAN } from './plausibility';
import { fahrenheitToCelsius, kpaToMmHg, lbToKg, mmolPerLToMgPerDl } from './units';

export type NormalizedReading =
  | { ok: true; type: ReadingType; code: string; components: ObservationComponent[] }
  | { ok: false; detail: string };

function component(code: string, value: number, unit: string, originalValue: number, originalUnit: string) {
  return { code, value, unit, originalValue, originalUnit };
}

/**
 * Converts a schema-valid device reading to canonical UCUM units and LOINC codes and
 * checks it against the plausibility ranges. Pure.
 */
export function normalizeReading(reading: DeviceReading): NormalizedReading {
  const code = CODE_OF_TYPE[reading.type];
  const originalValues =
    reading.type === 'blood_pressure'
      ? [reading.systolic, reading.diastolic]
      : reading.type === 'consciousness' || reading.type === 'supplemental_oxygen'
        ? []
        : [reading.value];
  if (originalValues.includes(SFLOAT_NAN)) {
    return { ok: false, detail: `${reading.type} carries ${SFLOAT_NAN} (SFLOAT NaN): a device error frame` };
  }
  let components: ObservationComponent[];
  let problems: (string | null)[];
  switch (reading.type) {
    case 'blood_pressure': {
      const toMmHg = reading.unit === 'kPa' ? kpaToMmHg : (v: number) => v;
      const sys = toMmHg(reading.systolic);
      const dia = toMmHg(reading.diastolic);
      components = [
        component(LOINC.systolic, sys, UCUM.mmHg, reading.systolic, reading.unit),
        component(LOINC.diastolic, dia, UCUM.mmHg, reading.diastolic, reading.unit),
      ];
      problems = [
        implausibility('systolic', sys, PLAUSIBLE.systolic),
        implausibility('diastolic', dia, PLAUSIBLE.diastolic),
        sys <= dia ? 'systolic not above diastolic' : null,
      ];
      break;
    }
    case 'heart_rate':
      components = [component(code, reading.value, UCUM.perMinute, reading.value, reading.unit)];
      problems = [implausibility('heart rate', reading.value, PLAUSIBLE.heartRate)];
      break;
    case 'spo2':
      components = [component(code, reading.value, UCUM.percent, reading.value, reading.unit)];
      problems = [implausibility('SpO2', reading.value, PLAUSIBLE.spo2)];
      break;
    case 'body_weight': {
      const kg = reading.unit === 'lb' ? lbToKg(reading.value) : reading.value;
      components = [component(code, kg, UCUM.kg, reading.value, reading.unit)];
      problems = [implausibility('body weight', kg, PLAUSIBLE.bodyWeight)];
      break;
    }
    case 'glucose': {
      const mgdl = reading.unit === 'mmol/L' ? mmolPerLToMgPerDl(reading.value) : reading.value;
      components = [component(code, mgdl, UCUM.mgPerDl, reading.value, reading.unit)];
      problems = [implausibility('glucose', mgdl, PLAUSIBLE.glucose)];
      break;
    }
    case 'body_temperature': {
      const cel = reading.unit === 'degF' ? fahrenheitToCelsius(reading.value) : reading.value;
      components = [component(code, cel, UCUM.celsius, reading.value, reading.unit)];
      const fahrenheitInCelsiusField = reading.unit === 'Cel' && cel >= 77 && cel <= 113;
      problems = [
        fahrenheitInCelsiusField
          ? 'body temperature looks like Fahrenheit sent as Cel; not converted'
          : implausibility('body temperature', cel, PLAUSIBLE.bodyTemperature),
      ];
      break;
    }
    case 'respiratory_rate':
      components = [component(code, reading.value, UCUM.perMinute, reading.value, reading.unit)];
      problems = [implausibility('respiratory rate', reading.value, PLAUSIBLE.respiratoryRate)];
      break;
    case 'consciousness': {
      // The ordinal orders the levels (alert 0 .. unresponsive 4); the answer itself travels as valueCode.
      const ordinal = ACVPU_LEVELS.indexOf(reading.value);
      components = [{ ...component(code, ordinal, UCUM.acvpu, ordinal, UCUM.acvpu), valueCode: reading.value }];
      problems = [];
      break;
    }
    case 'supplemental_oxygen': {
      const onOxygen = reading.value ? 1 : 0;
      components = [component(LOCAL_CODES.supplementalOxygen, onOxygen, UCUM.yesNo, onOxygen, UCUM.yesNo)];
      problems = [];
      if (reading.flow !== undefined) {
        components.push(component(LOINC.oxygenFlow, reading.flow, UCUM.litersPerMinute, reading.flow, UCUM.litersPerMinute));
        problems.push(
          implausibility('oxygen flow', reading.flow, PLAUSIBLE.oxygenFlow),
          !reading.value && reading.flow > 0 ? 'oxygen flow reported while not on supplemental oxygen' : null,
        );
      }
      break;
    }
    default: {
      const unreachable: never = reading;
      return unreachable;
    }
  }
  const found = problems.filter((p): p is string => p !== null);
  if (found.length > 0) return { ok: false, detail: found.join('; ') };
  return { ok: true, type: reading.type, code, components };
}
