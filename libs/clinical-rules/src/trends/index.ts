export { applyObservation, MORNING_WEIGHT_FROM_HOUR } from './apply-observation';
export { BP_SESSION_GAP_SEC } from './aggregates';
export { evaluateTrends } from './evaluate-trends';
export { addDays, daysBetween, localTimeOf, type LocalTime } from './local-day';
export type { TrendPatient } from './trend-firing';
export {
  TREND_RETENTION_DAYS,
  TREND_RULES,
  type BpMeanRule,
  type Spo2DropRule,
  type TrendPopulation,
  type TrendRule,
  type WeightChange,
  type WeightTrendRule,
} from './trend-rules';
export {
  EMPTY_TREND_STATE,
  latestDay,
  parseTrendState,
  compactWeightId,
  serializeTrendState,
  weightObservationId,
  type BpSession,
  type DayAggregate,
  type FirstWeight,
  type Spo2Histogram,
  type TrendState,
} from './trend-state';
