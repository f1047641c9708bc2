import { useCallback, useMemo, useState } from 'react';
import { ApiClient } from './api/api-client';
import { AlertStreamProvider, useAlertStreamStatus } from './api/alert-stream-context';
import { clearToken, readClaims, storedToken, storeToken } from './auth/session';
import { SessionContext, useSession } from './auth/session-context';
import { SignInPage } from './auth/sign-in-page';
import { useIdentity } from './auth/use-identity';
import { PatientPage } from './patient/patient-page';
import { QueuePage } from './queue/queue-page';
import { Link, useLocation } from './ui/router';
import { Empty } from './ui/states';

const STREAM_LABEL = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' } as const;

function Header() {
  const { identity, signOut } = useSession();
  const status = useAlertStreamStatus();
  return (
    <header className="app-header">
      <Link to="/" className="brand">
        RPM worklist
      </Link>
      <span className={`stream-status stream-${status}`} role="status" aria-live="polite" title="Updates arrive without reloading while live">
        {STREAM_LABEL[status]}
      </span>
      <span className="who" aria-label="Signed in as">
        {identity.sub} · {identity.role}
        {identity.careTeams.length > 0 && ` · ${identity.careTeams.join(', ')}`}
      </span>
      <button type="button" onClick={signOut}>
        Sign out
      </button>
    </header>
  );
}

function Routes() {
  const { pathname } = useLocation();
  const patient = /^\/patients\/([0-9a-f-]{36})\/?$/i.exec(pathname);
  if (pathname === '/') return <QueuePage />;
  if (patient?.[1]) return <PatientPage key={patient[1]} patientId={patient[1]} />;
  return (
    <main>
      <Empty title="There is no page here">
        <Link to="/">Go to the worklist</Link>
      </Empty>
    </main>
  );
}

function SignedIn({ token, onSignOut }: { token: string; onSignOut: (reason: string | null) => void }) {
  const api = useMemo(() => new ApiClient(token, () => onSignOut('Your session ended: the token expired or was refused. Sign in again.')), [token, onSignOut]);
  const claims = useMemo(() => readClaims(token), [token]);
  const identity = useIdentity(api, claims?.identity ?? { sub: 'unknown', role: 'unknown', careTeams: [] });
  const session = useMemo(() => ({ api, identity, signOut: () => onSignOut(null) }), [api, identity, onSignOut]);
  return (
    <SessionContext.Provider value={session}>
      <AlertStreamProvider api={api}>
        <Header />
        <Routes />
      </AlertStreamProvider>
    </SessionContext.Provider>
  );
}

export function App() {
  const [token, setToken] = useState(storedToken);
  const [reason, setReason] = useState<string | null>(null);
  const signOut = useCallback((why: string | null) => {
    clearToken();
    setReason(why);
    setToken(null);
  }, []);
  if (!token)
    return (
      <SignInPage
        reason={reason}
        onSignedIn={(t) => {
          storeToken(t);
          setReason(null);
          setToken(t);
        }}
      />
    );
  return <SignedIn token={token} onSignOut={signOut} />;
}
