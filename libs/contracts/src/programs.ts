import { z } from 'zod';

/** Care programmes a patient can be enrolled in (CLINICAL.md section 1). */
export const PROGRAMS = ['heart_failure', 'hypertension', 'copd', 'diabetes'] as const;
export const Program = z.enum(PROGRAMS);
export type Program = z.infer<typeof Program>;

/** NEWS2 SpO2 scale: 2 only for confirmed hypercapnic respiratory failure (CLINICAL.md 1.3). */
export const Spo2Scale = z.union([z.literal(1), z.literal(2)]);
export type Spo2Scale = z.infer<typeof Spo2Scale>;

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;
