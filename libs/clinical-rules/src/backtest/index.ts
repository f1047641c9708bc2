export { CLINICAL_DISPOSITIONS, backtest, replayPatient, type BacktestInput, type BacktestPatient, type BacktestResult, type ReplayOptions, type ReplayedAlert, type RuleCount } from './backtest';
