import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { ApiClient } from './api/api-client';
import { AlertStreamProvider, useAlertStreamStatus } from './api/alert-stream-context';
import { isLead } from './auth/roles';
import { clearToken, readClaims, storedToken, storeToken } from './auth/session';
import { SessionContext, useSession } from './auth/session-context';
import { SignInPage } from './auth/sign-in-page';
import { useIdentity } from './auth/use-identity';
import { BurdenPage } from './burden/burden-page';
import { PatientPage } from './patient/patient-page';
import { ProtocolPage } from './protocols/protocol-page';
import { protocolNamed } from './protocols/programmes';
import { ProtocolsIndexPage } from './protocols/protocols-index-page';
import { QueuePage } from './queue/queue-page';
import { Link, useLocation } from './ui/router';
import { Empty, Forbidden } from './ui/states';

const STREAM_LABEL = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' } as const;

/** The leads' pages beside the worklist; nurses see none of them (the API would refuse them anyway). */
const LEAD_NAV = [
  { to: '/', label: 'Worklist', matches: (path: string) => path === '/' || path.startsWith('/patients/') },
  { to: '/protocols', label: 'Protocols', matches: (path: string) => path === '/protocols' || path.startsWith('/protocols/') },
  { to: '/reports/alert-burden', label: 'Alert burden', matches: (path: string) => path.startsWith('/reports/alert-burden') },
] as const;

function Header() {
  const { identity, signOut } = useSession();
  const status = useAlertStreamStatus();
  const { pathname } = useLocation();
  return (
    <header className="app-header">
      <Link to="/" className="brand">
        RPM worklist
      </Link>
      {isLead(identity.role) && (
        <nav aria-label="Main" className="main-nav">
          {LEAD_NAV.map((item) => (
            <Link key={item.to} to={item.to} aria-current={item.matches(pathname) ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
      )}
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

/** Leads' pages for everyone else: said plainly, without asking the API for what it would refuse. */
function LeadsOnly({ what, children }: { what: string; children: ReactNode }) {
  const { identity } = useSession();
  if (isLead(identity.role)) return children;
  return (
    <main className="leads-page">
      <Forbidden what={what} role={identity.role} />
    </main>
  );
}

function Routes() {
  const { pathname } = useLocation();
  const patient = /^\/patients\/([0-9a-f-]{36})\/?$/i.exec(pathname);
  const protocol = /^\/protocols\/([a-z_]+)\/?$/.exec(pathname);
  if (pathname === '/') return <QueuePage />;
  if (patient?.[1]) return <PatientPage key={patient[1]} patientId={patient[1]} />;
  if (pathname === '/protocols' || pathname === '/protocols/')
    return (
      <LeadsOnly what="Protocols">
        <ProtocolsIndexPage />
      </LeadsOnly>
    );
  const programme = protocol?.[1] ? protocolNamed(protocol[1]) : null;
  if (programme)
    return (
      <LeadsOnly what="Changing protocols">
        <ProtocolPage key={programme} programme={programme} />
      </LeadsOnly>
    );
  // The API decides who reads the report: a nurse who follows a link gets its 403, shown as such.
  if (pathname === '/reports/alert-burden') return <BurdenPage />;
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
