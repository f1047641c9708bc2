import { useCallback, useState } from 'react';
import { ApiRequestError, messageOf } from '../api/api-client';

/** Busy flag and the API's message for one dialog's submission. */
export function useSubmit<T>(action: () => Promise<T>, onDone: (result: T) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = useCallback(async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await action());
    } catch (e) {
      const issues = e instanceof ApiRequestError && e.issues.length > 0 ? e.issues.map((i) => `${i.field}: ${i.reason}`).join('; ') : null;
      setError(issues ?? messageOf(e));
      setBusy(false);
    }
  }, [action, onDone]);
  return { busy, error, submit };
}
