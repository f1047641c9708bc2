export { DEADBAND, SUPPRESS_AFTER_CLOSE_MS, clearLimit, relaxedTrendRule, returnsToNormal, worsenedBeyondDeadband } from './deadband';
export { CLEAR_AFTER_READINGS, DUPLICATE_WINDOW_SEC, SEEN_LIMIT, observe, type ObserveOptions } from './monitor';
export { checkSilence } from './silence';
export type { MonitorResult } from './signals';
export {
  EMPTY_MONITOR_STATE,
  parseMonitorState,
  serializeMonitorState,
  type Episode,
  type MonitorState,
  type News2Entry,
  type PendingReading,
  type SeenReading,
} from './monitor-state';
