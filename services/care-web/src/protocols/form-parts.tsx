import { useId } from 'react';
import { issueCount, type PlacedIssues } from './settings-model';

/** The change's reason (kept with the version): the API's problems with it show beneath. */
export function ChangeReasonField({ value, onChange, errors, label = 'Why this change' }: { value: string; onChange: (v: string) => void; errors: readonly string[]; label?: string }) {
  const id = useId();
  return (
    <div className="change-reason">
      <label className="field" htmlFor={id}>
        {label}
        <textarea
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          maxLength={500}
          rows={2}
          aria-invalid={errors.length > 0}
          aria-describedby={errors.length ? `${id}-errors` : undefined}
        />
      </label>
      {errors.length > 0 && (
        <ul id={`${id}-errors`} className="field-errors">
          {errors.map((r) => (
            <li key={r} className="field-error">
              {r}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Above a settings form: what went wrong, how many problems are marked, and those that name no field. */
export function FormProblems({ error, issues, unparsed }: { error: string | null; issues: PlacedIssues; unparsed: number }) {
  const problems = issueCount(issues) + unparsed;
  if (!error && issues.general.length === 0 && unparsed === 0) return null;
  return (
    <div className="form-error form-problems" role="alert">
      <p>
        {error ?? 'Some values are not numbers.'}
        {problems > 0 && ` ${problems} problem${problems === 1 ? '' : 's'}.`}
      </p>
      {issues.general.length > 0 && (
        <ul>
          {issues.general.map((g) => (
            <li key={g}>{g}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
