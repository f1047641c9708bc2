import type { AlertResponse } from '@rpm/contracts';
import { describeProvenance, displayUnit, formatDateTime, formatNumber } from '../ui/format';
import { CHARTED_VITALS } from './chart-bands';

const LABEL_OF_CODE: Readonly<Record<string, string>> = Object.fromEntries(CHARTED_VITALS.flatMap((v) => v.series.map((s) => [s.code, s.label])));

/**
 * Why the alert fired: the readings that triggered it (in the units the device sent, too), the
 * rule and its version, each threshold with where it came from, the window, NEWS2 sub-scores.
 */
export function AlertExplanation({ alert }: { alert: AlertResponse }) {
  const explanation = alert.explanation;
  return (
    <div className="explanation">
      <h4>Triggering readings</h4>
      {alert.observations.length === 0 ? (
        <p className="hint">No readings (raised for missing data).</p>
      ) : (
        <ul className="readings">
          {alert.observations.map((o, i) => (
            <li key={`${o.code}-${o.measuredAt}-${i}`}>
              {LABEL_OF_CODE[o.code] ?? o.code} <strong>{formatNumber(o.value, 2)} {displayUnit(o.unit)}</strong>
              {o.originalValue !== undefined && o.originalUnit !== undefined && (displayUnit(o.originalUnit) !== displayUnit(o.unit) || o.originalValue !== o.value) && (
                <span className="as-sent">
                  {' '}
                  (sent as {formatNumber(o.originalValue, 1)} {displayUnit(o.originalUnit)})
                </span>
              )}{' '}
              <span className="when">measured {formatDateTime(o.measuredAt)}</span>
            </li>
          ))}
        </ul>
      )}
      {explanation ? (
        <>
          <h4>Rule</h4>
          <p>
            <strong>{explanation.rule.id}</strong> {explanation.rule.title} · version {explanation.rule.version} · sources {explanation.rule.source}
          </p>
          <h4>Thresholds</h4>
          <ul className="thresholds">
            {explanation.thresholds.map((t) => (
              <li key={t.parameter}>
                {t.description.replace(/\S+$/, (u) => displayUnit(u))} <span className="provenance">— from {describeProvenance(t.provenance)}</span>
              </li>
            ))}
          </ul>
          {explanation.window && (
            <p>
              <strong>Window:</strong> {explanation.window.description} ({formatDateTime(explanation.window.from)} – {formatDateTime(explanation.window.to)})
            </p>
          )}
          {explanation.news2 && (
            <p>
              <strong>NEWS2 {explanation.news2.aggregate}</strong> (SpO2 scale {explanation.news2.scale}):{' '}
              {Object.entries(explanation.news2.subScores)
                .map(([part, score]) => `${part} ${score}`)
                .join(', ')}
            </p>
          )}
        </>
      ) : (
        <p>
          <strong>{alert.ruleId}</strong> ({alert.ruleSource}): {alert.threshold}. <span className="hint">This alert was raised before explanations were recorded.</span>
        </p>
      )}
    </div>
  );
}
