import jwt from 'jsonwebtoken';
import { Role } from '@rpm/contracts';
import { z } from 'zod';

export const TokenClaims = z.object({
  sub: z.string().min(1),
  role: Role,
  /** Care teams whose patients the user may see (nurses); absent for admins. */
  careTeams: z.array(z.string()).optional(),
});
export type TokenClaims = z.infer<typeof TokenClaims>;

export const DEV_TOKEN_ISSUER = 'rpm-local-dev';
export const TOKEN_AUDIENCE = 'rpm-care-api';

/** A development token signed with the local secret (npm run token). */
export function signDevToken(claims: TokenClaims, secret: string, ttlSeconds = 12 * 3600): string {
  return jwt.sign(TokenClaims.parse(claims), secret, {
    algorithm: 'HS256',
    expiresIn: ttlSeconds,
    issuer: DEV_TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
  });
}
