export {
  ACVPU,
  Acvpu,
  Band,
  BandTable,
  CONSCIOUSNESS_POINTS,
  PULSE_BANDS,
  RESPIRATORY_RATE_BANDS,
  SPO2_SCALE_1_BANDS,
  SPO2_SCALE_2_AIR_BANDS,
  SPO2_SCALE_2_OXYGEN_BANDS,
  SUPPLEMENTAL_OXYGEN_POINTS,
  SYSTOLIC_BP_BANDS,
  SubScore,
  TEMPERATURE_BANDS,
  pointsIn,
  roundToResolution,
} from './bands';
export { NEWS2_SET_WINDOW_MS, assembleNews2Set, type News2Reading, type News2Set } from './assemble';
export {
  evaluateNews2,
  explainNews2,
  isNews2WorklistAlert,
  type News2AlertFiring,
  type News2Evaluation,
  type News2Firing,
} from './evaluate';
export { NEWS2_RULES, News2Level, News2Rule, describeNews2Rule, matchesNews2Rule, type News2RuleInput } from './rules';
export {
  NEWS2_PARAMETERS,
  NEWS2_RISKS,
  News2Input,
  news2Risk,
  scoreNews2,
  type News2Parameter,
  type News2Risk,
  type News2Score,
  type News2SubScores,
} from './score';
