import type { Role } from '@rpm/contracts';

/** Roles that change protocols, run backtests and read the burden report (the API enforces it; the UI only hides what would be refused). */
const LEAD_ROLES: readonly string[] = ['clinical_lead', 'admin'] satisfies readonly Role[];

export function isLead(role: string): boolean {
  return LEAD_ROLES.includes(role);
}
