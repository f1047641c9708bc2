import type { BindingPeriod, DeviceBindingV1 } from '@rpm/contracts';

/** Whose a reading is: the patient bound when it was measured, or why nobody's. */
export type BindingVerdict =
  | { readonly kind: 'bound'; readonly patientId: string }
  /** No binding at all: the device is unknown here (or the registry lags). */
  | { readonly kind: 'unbound' }
  /** Bindings exist, none holds this instant: quarantined, never guessed. */
  | { readonly kind: 'outside_binding' };

/** A device's binding periods, oldest first; a record from before histories binds for all time. */
export function periodsOf(binding: DeviceBindingV1): readonly BindingPeriod[] {
  return binding.history ?? [{ patientId: binding.patientId, from: null, to: null }];
}

/** The patient whose period [from, to) holds `measuredAt`. */
export function bindingAt(binding: DeviceBindingV1 | undefined, measuredAt: Date): BindingVerdict {
  if (!binding) return { kind: 'unbound' };
  const t = measuredAt.getTime();
  const period = periodsOf(binding).find((p) => (p.from === null || Date.parse(p.from) <= t) && (p.to === null || t < Date.parse(p.to)));
  return period ? { kind: 'bound', patientId: period.patientId } : { kind: 'outside_binding' };
}
