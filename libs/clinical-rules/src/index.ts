export { alertKey, deterministicUuid } from './alert-key';
export { DEFAULT_RULES } from './default-rules';
export { describeThreshold } from './describe';
export {
  RETROSPECTIVE_AFTER_MS,
  evaluateReading,
  isRetrospective,
  type PatientContext,
  type RuleFiring,
} from './evaluate-threshold';
export {
  Bound,
  COMPARATORS,
  Comparator,
  Condition,
  Population,
  REQUIREMENTS,
  Requirement,
  RuleDefinition,
  RuleId,
  RuleSet,
  SourceTags,
  parseRuleSet,
  singleReadingSeverity,
  type RuleDefinitionInput,
} from './rule-definition';
export { SEVERITY_RANK, downgradeSeverity } from './severity';
export { toAlertRaised } from './to-alert';
export * from './news2';
export * from './trends';
export * from './protocols';
export * from './monitor';
export * from './backtest';
export * from './billing';
