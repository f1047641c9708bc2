import { useEffect, useState } from 'react';
import type { MeResponse } from '@rpm/contracts';
import type { ApiClient } from '../api/api-client';
import type { Identity } from './session';

/**
 * Who is signed in: at first from the token's claims (display only), then from GET /me when the
 * API has it (the API's view wins: it verified the token).
 */
export function useIdentity(api: ApiClient, fromToken: Identity): Identity {
  const [identity, setIdentity] = useState(fromToken);
  useEffect(() => {
    const controller = new AbortController();
    api.get<MeResponse>('/me', controller.signal).then(
      // careTeams null: every patient (admins, clinical leads).
      (me) => setIdentity({ sub: me.sub, role: me.role, careTeams: me.careTeams ?? [] }),
      () => undefined, // no /me yet: the token's claims stand
    );
    return () => controller.abort();
  }, [api]);
  return identity;
}
