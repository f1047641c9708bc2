import { useCallback, useMemo, useState } from 'react';
import type { ProtocolOverrideInput } from '@rpm/contracts';
import { ApiRequestError, messageOf } from '../api/api-client';
import { draftOfSettings, issueCount, NO_ISSUES, placeIssues, settingsOfDraft, unparsedValues, type EditorRule, type PlacedIssues, type SettingDraft, type SettingsDraft } from './settings-model';

/** The message for a refused change that names no field: 403 in words, else the API's own. */
export function explainRefusal(error: unknown): string {
  if (error instanceof ApiRequestError && error.status === 403) return 'Only clinical leads and admins can change protocols: the API refused it (403).';
  return messageOf(error);
}

/**
 * A settings form's state: the settings as edited, the change reason, and the API's problems
 * placed on the fields they name. `submit` sends through the caller's request (create, update,
 * backtest) and keeps the index -> setting map of what it sent, so `settings.2.value` lands on
 * the third setting of that request.
 */
export function useSettingsForm(initial: readonly ProtocolOverrideInput[], initialReason: string, rules: readonly EditorRule[], listName: 'settings' | 'overrides') {
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOfSettings(initial));
  const [reason, setReason] = useState(initialReason);
  const [issues, setIssues] = useState<PlacedIssues>(NO_ISSUES);
  const [unparsed, setUnparsed] = useState<ReadonlySet<string>>(new Set());
  const [focusSignal, setFocusSignal] = useState(0);
  const [busy, setBusy] = useState(false);
  // fieldLevel: the API named fields; the message goes once every marked field was edited.
  const [failure, setFailure] = useState<{ readonly text: string; readonly fieldLevel: boolean } | null>(null);
  const { settings, keys } = useMemo(() => settingsOfDraft(draft, rules), [draft, rules]);

  /** An edit clears the problems of the settings it touched (they were about the old value). */
  const change = useCallback(
    (next: Map<string, SettingDraft>) => {
      const touched = [...new Set([...draft.keys(), ...next.keys()])].filter((k) => draft.get(k) !== next.get(k));
      setDraft(next);
      if (touched.length === 0) return;
      setUnparsed((u) => new Set([...u].filter((k) => !touched.includes(k))));
      setIssues((i) => ({ ...i, bySetting: new Map([...i.bySetting].filter(([k]) => !touched.includes(k))) }));
    },
    [draft],
  );

  /** Places the problems of a refused request that carried these settings; true when there were any. */
  const refused = useCallback(
    (refusal: unknown, sentKeys: readonly string[] = keys): boolean => {
      if (!(refusal instanceof ApiRequestError) || refusal.issues.length === 0) return false;
      setIssues(placeIssues(refusal.issues, sentKeys, listName));
      setFocusSignal((n) => n + 1);
      return true;
    },
    [keys, listName],
  );

  /** Checks the numbers, then sends; resolves with the API's answer, or null when refused (problems shown). */
  const submit = useCallback(
    async <T>(send: (settings: ProtocolOverrideInput[], reason: string) => Promise<T>): Promise<T | null> => {
      const bad = unparsedValues(draft);
      setUnparsed(new Set(bad));
      setFailure(null);
      if (bad.length > 0) {
        setIssues(NO_ISSUES);
        setFocusSignal((n) => n + 1);
        return null;
      }
      setBusy(true);
      const sentKeys = keys;
      try {
        const result = await send(settings, reason.trim());
        setIssues(NO_ISSUES);
        return result;
      } catch (refusal) {
        if (refused(refusal, sentKeys)) setFailure({ text: 'The API refused it: see the fields marked below.', fieldLevel: true });
        else {
          setIssues(NO_ISSUES);
          setFailure({ text: explainRefusal(refusal), fieldLevel: false });
        }
        return null;
      } finally {
        setBusy(false);
      }
    },
    [draft, keys, settings, reason, refused],
  );

  const error = failure && (!failure.fieldLevel || issueCount(issues) > 0) ? failure.text : null;
  return { draft, change, reason, setReason, issues, unparsed, focusSignal, busy, error, settings, keys, submit, refused };
}
