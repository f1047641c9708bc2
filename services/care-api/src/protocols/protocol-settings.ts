import { BadRequestException } from '@nestjs/common';
import type { ProtocolChange, ProtocolOverrideInput } from '@rpm/contracts';
import type { ProtocolIssue } from '@rpm/clinical-rules';

/** Settings of programme versions and patient overrides share one shape: the same key, equality and diff. */
const settingKey = (o: ProtocolOverrideInput): string => `${o.ruleId}/${o.parameter ?? 'enabled'}`;
export const sameSetting = (a: ProtocolOverrideInput, b: ProtocolOverrideInput): boolean =>
  settingKey(a) === settingKey(b) && a.value === b.value && a.unit === b.unit && a.enabled === b.enabled && a.reason === b.reason;
export const settingInput = ({ ruleId, parameter, value, unit, enabled, reason }: ProtocolOverrideInput): ProtocolOverrideInput => ({
  ruleId,
  ...(parameter !== undefined ? { parameter } : {}),
  ...(value !== undefined ? { value } : {}),
  ...(unit !== undefined ? { unit } : {}),
  ...(enabled !== undefined ? { enabled } : {}),
  ...(reason !== undefined ? { reason } : {}),
});

/** What changed from one version's settings to the next's, by (rule, setting). */
export function diffSettings(before: readonly ProtocolOverrideInput[], after: readonly ProtocolOverrideInput[]): ProtocolChange[] {
  const keys = [...new Set([...before, ...after].map(settingKey))].sort();
  return keys.flatMap((key) => {
    const was = before.find((o) => settingKey(o) === key);
    const now = after.find((o) => settingKey(o) === key);
    if (was && now && sameSetting(was, now)) return [];
    const [ruleId = '', setting = ''] = key.split('/');
    return [{ ruleId, setting, before: was ? settingInput(was) : null, after: now ? settingInput(now) : null }];
  });
}


/** Settings the library refused: 400 with one issue per field. */
export function refused(issues: readonly ProtocolIssue[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
    issues: issues.map((i) => ({ field: i.path, reason: i.message })),
  });
}
