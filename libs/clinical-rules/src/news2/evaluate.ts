import type { Severity, Spo2Scale } from '@rpm/contracts';
import { roundToResolution } from './bands';
import type { News2Reading, News2Set } from './assemble';
import { NEWS2_RULES, describeNews2Rule, matchesNews2Rule, type News2Level, type News2Rule } from './rules';
import { NEWS2_PARAMETERS, scoreNews2, type News2Input, type News2Parameter, type News2Score } from './score';

interface News2FiringBase {
  readonly ruleId: string;
  readonly ruleSource: string;
  readonly title: string;
  /** "NEWS2 >= 7". */
  readonly threshold: string;
  /** Aggregate, risk and every sub-score with its value: the explanation the nurse sees. */
  readonly summary: string;
  readonly score: News2Score;
  /** The seven readings scored, in chart order. */
  readonly evidence: readonly News2Reading[];
  /** Newest measuredAt of the set. */
  readonly measuredAt: string;
}

/**
 * EW-01 / EW-02: a worklist alert, with a contracts Severity (high | medium) that can go into an
 * AlertRaisedV1. EW-03: kind "info", severity "info": not a worklist alert. The two kinds are
 * distinct types, so an info firing cannot be passed where a Severity is expected.
 */
export type News2Firing =
  | (News2FiringBase & { readonly kind: 'alert'; readonly severity: Severity })
  | (News2FiringBase & { readonly kind: 'info'; readonly severity: 'info' });
export type News2AlertFiring = Extract<News2Firing, { kind: 'alert' }>;

export interface News2Evaluation {
  /** Always present, also when nothing fires (aggregate 0 with no 3). */
  readonly score: News2Score;
  /** At most one firing: the most severe matching rule left after supersession. */
  readonly firing: News2Firing | null;
}

export const isNews2WorklistAlert = (firing: News2Firing | null): firing is News2AlertFiring => firing?.kind === 'alert';

const LEVEL_RANK: Readonly<Record<News2Level, number>> = { high: 3, medium: 2, low: 1, info: 0 };

const LABEL: Readonly<Record<News2Parameter, string>> = {
  respiratoryRate: 'RR',
  spo2: 'SpO2',
  supplementalOxygen: 'air/O2',
  systolicBp: 'SBP',
  pulse: 'pulse',
  consciousness: 'ACVPU',
  temperature: 'temp',
};

function shown(input: News2Input, p: News2Parameter): string {
  switch (p) {
    case 'supplementalOxygen':
      return input.supplementalOxygen ? 'oxygen' : 'air';
    case 'consciousness':
      return input.consciousness;
    case 'temperature':
      return `${roundToResolution(input.temperature, 1).toFixed(1)} Cel`;
    case 'spo2':
      return `${roundToResolution(input.spo2, 0)} %`;
    case 'respiratoryRate':
    case 'pulse':
      return `${roundToResolution(input[p], 0)} /min`;
    case 'systolicBp':
      return `${roundToResolution(input.systolicBp, 0)} mm[Hg]`;
  }
}

/** "NEWS2 8 (high risk, scale 1): RR 22 /min=2, SpO2 93 %=2, ..." */
export function explainNews2(input: News2Input, score: News2Score): string {
  const parts = NEWS2_PARAMETERS.map((p) => `${LABEL[p]} ${shown(input, p)}=${score.subScores[p]}`);
  return `NEWS2 ${score.aggregate} (${score.risk} risk, SpO2 scale ${score.scale}): ${parts.join(', ')}`;
}

function toFiring(rule: News2Rule, set: News2Set, score: News2Score): News2Firing {
  const base: News2FiringBase = {
    ruleId: rule.id,
    ruleSource: rule.source,
    title: rule.title,
    threshold: describeNews2Rule(rule),
    summary: `${explainNews2(set.input, score)} (${rule.id} ${rule.title})`,
    score,
    evidence: NEWS2_PARAMETERS.map((p) => set.readings[p]),
    measuredAt: set.newestAt,
  };
  return rule.level === 'info' ? { ...base, kind: 'info', severity: 'info' } : { ...base, kind: 'alert', severity: rule.level };
}

/**
 * Scores a complete set (from assembleNews2Set) on the patient's SpO2 scale and applies
 * EW-01..EW-03: EW-01 (>= 7, high) supersedes EW-02 (5–6 or any single 3, medium), which
 * supersedes EW-03 (1–4, info). Pure: no clock, no I/O.
 */
export function evaluateNews2(set: News2Set, scale: Spo2Scale, rules: readonly News2Rule[] = NEWS2_RULES): News2Evaluation {
  const score = scoreNews2(set.input, scale);
  const matched = rules.filter((r) => matchesNews2Rule(r, score.aggregate, score.anySingleThree));
  const superseded = new Set(matched.flatMap((r) => r.supersedes));
  const best = matched
    .filter((r) => !superseded.has(r.id))
    .reduce<News2Rule | null>((top, r) => (top && LEVEL_RANK[top.level] >= LEVEL_RANK[r.level] ? top : r), null);
  return { score, firing: best ? toFiring(best, set, score) : null };
}
