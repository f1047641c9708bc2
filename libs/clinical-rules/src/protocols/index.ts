export { MISSING_DATA_RULE, PROGRAMME_PROTOCOLS, PROTOCOL_IDS, defaultSpo2Scale, type ProgrammeProtocol, type ProtocolId } from './programme-protocols';
export {
  explainRule,
  resolveProtocol,
  validateOverrides,
  validateProgrammeSettings,
  type ProgrammeVersions,
  type PublishedProgrammeProtocol,
  type EffectiveParameter,
  type EffectiveProtocol,
  type EffectiveRule,
  type ProtocolIssue,
  type RuleKind,
} from './resolve-protocol';
export { describeParameter, parametersOf, type ParameterSpec } from './rule-parameters';
