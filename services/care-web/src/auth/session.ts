import type { Role } from '@rpm/contracts';

/** Who is signed in, for display and for "assigned to me"; the API decides what they may do. */
export interface Identity {
  readonly sub: string;
  readonly role: Role | string;
  readonly careTeams: readonly string[];
}

// sessionStorage: the token lives as long as the tab, never on disk across browser restarts.
const TOKEN_KEY = 'rpm.care-web.token';

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

interface Claims {
  sub?: unknown;
  role?: unknown;
  careTeams?: unknown;
  exp?: unknown;
}

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * The token's claims, read without verifying the signature: for showing who is signed in (and
 * refusing an obviously expired or malformed paste) only. The API verifies every call.
 */
export function readClaims(token: string): { identity: Identity; expiresAt: Date | null } | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(base64UrlDecode(payload)) as Claims;
    if (typeof claims.sub !== 'string' || typeof claims.role !== 'string') return null;
    const careTeams = Array.isArray(claims.careTeams) ? claims.careTeams.filter((t): t is string => typeof t === 'string') : [];
    const expiresAt = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null;
    return { identity: { sub: claims.sub, role: claims.role, careTeams }, expiresAt };
  } catch {
    return null;
  }
}
