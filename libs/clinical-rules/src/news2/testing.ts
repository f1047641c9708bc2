import type { News2Reading } from './assemble';
import type { News2Input, News2Parameter } from './score';

/** Test builders for the news2 specs. Not exported from index.ts. */

/** Every parameter in its 0-point band on scale 1 and on scale 2 (on air). */
export const NORMAL_INPUT: News2Input = Object.freeze({
  respiratoryRate: 16,
  spo2: 97,
  supplementalOxygen: false,
  systolicBp: 120,
  pulse: 70,
  consciousness: 'alert',
  temperature: 37.0,
});

export const anInput = (overrides: Partial<News2Input> = {}): News2Input => ({ ...NORMAL_INPUT, ...overrides });

export const SET_AT = '2026-03-02T08:15:00.000Z';
export const minutesBefore = (minutes: number, iso: string = SET_AT): string => new Date(Date.parse(iso) - minutes * 60_000).toISOString();

export function aReading(parameter: News2Parameter, input: News2Input, measuredAt: string, sourceId = `src-${parameter}`): News2Reading {
  return { parameter, value: input[parameter], measuredAt, sourceId } as News2Reading;
}

/** One reading per parameter of `input`, `minutesAgo[p]` (default 0) before `at`. */
export function readingsOf(
  input: News2Input = NORMAL_INPUT,
  minutesAgo: Partial<Record<News2Parameter, number>> = {},
  at: string = SET_AT,
): News2Reading[] {
  return (Object.keys(input) as News2Parameter[]).map((p) => aReading(p, input, minutesBefore(minutesAgo[p] ?? 0, at)));
}
