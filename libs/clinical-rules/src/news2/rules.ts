import { Severity } from '@rpm/contracts';
import { z } from 'zod';
import { RuleId, SourceTags } from '../rule-definition';

/**
 * EW-01..EW-03 of CLINICAL.md section 0 as data. Not the threshold RuleDefinition: that one reads
 * components of one observation (a LOINC `vital`) and has no "info" level, while these rules
 * read the NEWS2 aggregate of a complete seven-parameter set.
 *
 * Level "info" (EW-03) is not a worklist alert: contracts' Severity is high | medium | low, so an
 * info firing is a distinct kind that can never become an AlertRaisedV1 (see evaluate.ts).
 */
export const News2Level = z.union([Severity, z.literal('info')]);
export type News2Level = z.infer<typeof News2Level>;

const Aggregate = z.number().int().min(0).max(20);

export const News2Rule = z
  .strictObject({
    id: RuleId,
    title: z.string().min(1).max(80),
    source: SourceTags,
    level: News2Level,
    /** Fires when minAggregate <= aggregate <= maxAggregate, or (if set) when any single parameter scored 3. */
    minAggregate: Aggregate,
    maxAggregate: Aggregate,
    orAnySingleThree: z.boolean(),
    /** Lesser rules this one replaces when both match the same set. */
    supersedes: z.array(RuleId).default([]),
  })
  .refine((r) => r.minAggregate <= r.maxAggregate, { message: 'minAggregate must not exceed maxAggregate' });
export type News2Rule = z.infer<typeof News2Rule>;
export type News2RuleInput = z.input<typeof News2Rule>;

const rules: News2RuleInput[] = [
  {
    id: 'EW-01',
    title: 'NEWS2 high clinical risk',
    source: '[NEWS2-defs] [NEWS2-calc]',
    level: 'high',
    minAggregate: 7,
    maxAggregate: 20,
    orAnySingleThree: false,
    supersedes: ['EW-02', 'EW-03'],
  },
  {
    id: 'EW-02',
    title: 'NEWS2 medium clinical risk',
    source: '[NEWS2-defs] [NEWS2-calc]',
    level: 'medium',
    minAggregate: 5,
    maxAggregate: 6,
    orAnySingleThree: true,
    supersedes: ['EW-03'],
  },
  {
    // CLINICAL.md section 0 cites [NEWS2-report] for EW-03, not [NEWS2-defs] [NEWS2-calc].
    id: 'EW-03',
    title: 'NEWS2 low clinical risk',
    source: '[NEWS2-report]',
    level: 'info',
    minAggregate: 1,
    maxAggregate: 4,
    orAnySingleThree: false,
  },
];

export const NEWS2_RULES: readonly News2Rule[] = Object.freeze(z.array(News2Rule).parse(rules).map((r) => Object.freeze(r)));

export function matchesNews2Rule(rule: News2Rule, aggregate: number, anySingleThree: boolean): boolean {
  return (aggregate >= rule.minAggregate && aggregate <= rule.maxAggregate) || (rule.orAnySingleThree && anySingleThree);
}

/** "NEWS2 >= 7", "NEWS2 5–6 or any parameter = 3": the rule as the nurse reads it. */
export function describeNews2Rule(rule: News2Rule): string {
  const range = rule.maxAggregate === 20 ? `>= ${rule.minAggregate}` : `${rule.minAggregate}–${rule.maxAggregate}`;
  return `NEWS2 ${range}${rule.orAnySingleThree ? ' or any parameter = 3' : ''}`;
}
