import { Inject, Injectable } from '@nestjs/common';
import jwt, { type JwtHeader, type SigningKeyCallback } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { DEV_TOKEN_ISSUER, TOKEN_AUDIENCE, TokenClaims } from '@rpm/service-kit';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';
import type { AuthenticatedUser } from './authenticated-user';

/** Verifies bearer tokens: the local dev secret (HS256) or an OIDC issuer's JWKS (RS256/ES256). */
@Injectable()
export class TokenVerifier {
  private readonly jwks: JwksClient | null;

  constructor(@Inject(CARE_API_CONFIG) private readonly config: CareApiConfig) {
    this.jwks =
      config.AUTH_MODE === 'oidc' && config.OIDC_JWKS_URI
        ? new JwksClient({
            jwksUri: config.OIDC_JWKS_URI,
            cache: true,
            cacheMaxAge: 10 * 60 * 1000,
            // Unknown key ids trigger a fetch; the limit protects the issuer, and is wide
            // enough that junk tokens cannot easily starve a real key rotation.
            rateLimit: true,
            jwksRequestsPerMinute: 30,
          })
        : null;
  }

  async verify(token: string): Promise<AuthenticatedUser> {
    const payload = await new Promise<unknown>((resolve, reject) => {
      if (this.jwks) {
        const jwks = this.jwks;
        const key = (header: JwtHeader, cb: SigningKeyCallback) => {
          // No key id, or not one an issuer would mint: refuse without touching the JWKS.
          if (!header.kid || !/^[A-Za-z0-9._~-]{1,128}$/.test(header.kid)) return cb(new Error('token has no usable key id'));
          jwks.getSigningKey(header.kid, (err, k) => cb(err, k?.getPublicKey()));
        };
        jwt.verify(token, key, { algorithms: ['RS256', 'ES256'], issuer: this.config.OIDC_ISSUER, audience: this.config.OIDC_AUDIENCE }, (err, p) =>
          err ? reject(err) : resolve(p),
        );
      } else {
        jwt.verify(token, this.config.JWT_SECRET ?? '', { algorithms: ['HS256'], issuer: DEV_TOKEN_ISSUER, audience: TOKEN_AUDIENCE }, (err, p) =>
          err ? reject(err) : resolve(p),
        );
      }
    });
    const claims = TokenClaims.parse(payload);
    return { sub: claims.sub, role: claims.role, careTeams: claims.careTeams };
  }
}
