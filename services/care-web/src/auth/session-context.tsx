import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/api-client';
import type { Identity } from './session';

export interface Session {
  readonly api: ApiClient;
  readonly identity: Identity;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in screen');
  return session;
}
