import { useEffect, useState } from 'react';
import type { DEFAULT_DISPOSITIONS, DispositionResponse } from '@rpm/contracts';
import { ApiRequestError, messageOf, type ApiClient } from '../api/api-client';

/**
 * The deployment's starting list, for an API that does not serve GET /dispositions yet. Typed as
 * the contract's constant, so the compiler refuses any difference from libs/contracts.
 */
const FALLBACK_DISPOSITIONS: typeof DEFAULT_DISPOSITIONS = [
  { code: 'contacted_patient', label: 'Contacted patient', category: 'clinical' },
  { code: 'advised_ed_or_911', label: 'Advised ED or 911', category: 'clinical' },
  { code: 'medication_adjusted_per_protocol', label: 'Medication adjusted per protocol', category: 'clinical' },
  { code: 'measurement_or_device_error', label: 'Measurement or device error', category: 'measurement_error' },
  { code: 'no_action_needed', label: 'No action needed', category: 'no_action' },
];

export type DispositionsState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'ready'; readonly items: readonly DispositionResponse[] };

async function fetchDispositions(api: ApiClient): Promise<DispositionResponse[]> {
  try {
    const all = await api.get<DispositionResponse[]>('/dispositions');
    return all.filter((d) => d.active).sort((a, b) => a.sortOrder - b.sortOrder || a.label.localeCompare(b.label));
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 404) return FALLBACK_DISPOSITIONS.map((d, i) => ({ ...d, active: true, sortOrder: i }));
    throw error;
  }
}

/** One request per signed-in screen (a new token is a new ApiClient). */
let cached: { api: ApiClient; items: Promise<DispositionResponse[]> } | null = null;

/** The active dispositions in their order, read once per signed-in screen. */
export function useDispositions(api: ApiClient): DispositionsState {
  const [state, setState] = useState<DispositionsState>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    if (cached?.api !== api) cached = { api, items: fetchDispositions(api) };
    const request = cached;
    request.items.then(
      (items) => live && setState({ kind: 'ready', items }),
      (error: unknown) => {
        if (cached === request) cached = null; // try again next time
        if (live) setState({ kind: 'error', message: messageOf(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [api]);
  return state;
}

