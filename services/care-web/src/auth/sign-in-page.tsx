import { useState, type FormEvent } from 'react';
import { ApiClient, ApiRequestError, messageOf } from '../api/api-client';
import { readClaims } from './session';

const TOKEN_COMMAND = 'npm run token -- --role nurse --sub alice --care-team default';

/** Asks the API whether it accepts the token: GET /me, or the worklist on an API without /me. */
async function verify(token: string): Promise<void> {
  const api = new ApiClient(token);
  try {
    await api.get('/me');
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 404) await api.get('/alerts?limit=1');
    else throw error;
  }
}

/**
 * Local development sign-in: paste a token signed with the local secret. It is kept in this tab's
 * sessionStorage only; signing out (or closing the tab) forgets it.
 */
export function SignInPage({ reason, onSignedIn }: { reason: string | null; onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const pasted = token.trim();
    const claims = readClaims(pasted);
    if (!claims) return setError('This is not a token: expected three parts separated by dots, the second with a subject and a role.');
    if (claims.expiresAt && claims.expiresAt.getTime() < Date.now()) return setError(`This token expired on ${claims.expiresAt.toLocaleString()}. Make a new one.`);
    setBusy(true);
    setError(null);
    try {
      await verify(pasted);
      onSignedIn(pasted);
    } catch (e) {
      setError(e instanceof ApiRequestError && e.status === 401 ? `The API refused this token: ${e.message}.` : messageOf(e));
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" aria-labelledby="sign-in-heading">
      <form onSubmit={(e) => void submit(e)} className="sign-in-form">
        <h1 id="sign-in-heading">Sign in to the worklist</h1>
        {reason && (
          <p className="notice" role="status">
            {reason}
          </p>
        )}
        <label className="field">
          Development token
          <textarea
            value={token}
            onChange={(e) => setToken(e.target.value)}
            rows={5}
            autoFocus
            spellCheck={false}
            autoComplete="off"
            aria-describedby="token-help"
            required
          />
        </label>
        <p id="token-help" className="hint">
          Make one with <code>{TOKEN_COMMAND}</code>. It stays in this tab only.
        </p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
