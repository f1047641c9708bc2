import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { signDevToken, type TokenClaims } from '@rpm/service-kit';
import { CareApiFixture } from './care-api.fixture';

const JWKS_PORT = 14050;
const ISSUER = `http://127.0.0.1:${JWKS_PORT}/`;
const AUDIENCE = 'rpm-care-api';
const KID = 'oidc-int-key-1';

function rsaKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** A token as the issuer would mint it; every option can be overridden to forge a bad one. */
function issuerToken(
  privateKey: KeyObject,
  claims: TokenClaims,
  { kid = KID, issuer = ISSUER, audience = AUDIENCE, expiresIn = 300 }: { kid?: string; issuer?: string; audience?: string; expiresIn?: number } = {},
): string {
  return jwt.sign(claims, privateKey, { algorithm: 'RS256', keyid: kid, issuer, audience, expiresIn });
}

/** care-api with AUTH_MODE=oidc against a real JWKS endpoint served from this test process. */
describe('care-api OIDC authentication (RS256 against a JWKS)', () => {
  const issuerKey = rsaKeyPair();
  const jwksRequests: string[] = [];
  const jwks = { keys: [{ ...issuerKey.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] };
  const jwksServer: Server = createServer((req, res) => {
    jwksRequests.push(req.url ?? '');
    if (req.method === 'GET' && req.url === '/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    } else {
      res.writeHead(404).end();
    }
  });
  const care = new CareApiFixture(14040, {
    AUTH_MODE: 'oidc',
    OIDC_ISSUER: ISSUER,
    OIDC_JWKS_URI: `http://127.0.0.1:${JWKS_PORT}/jwks`,
  });
  const admin = (): TokenClaims => ({ sub: `${care.runId}-oidc-admin`, role: 'admin' });
  const alertsWith = (token: string) => care.anonymous.withToken(token).get('/api/v1/alerts');

  beforeAll(async () => {
    await new Promise<void>((resolve, reject) => {
      jwksServer.once('error', reject);
      jwksServer.listen(JWKS_PORT, '127.0.0.1', () => resolve());
    });
    expect((jwksServer.address() as AddressInfo).port).toBe(JWKS_PORT);
    await care.start();
  });

  afterAll(async () => {
    await care.stop();
    await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
  });

  it('accepts an admin token from the issuer (fetching its JWKS)', async () => {
    const res = await alertsWith(issuerToken(issuerKey.privateKey, admin()));
    expect(res.status).toBe(200);
    expect(jwksRequests).toContain('/jwks');
  });

  it('answers 401 for a token signed by another key under the same kid', async () => {
    const forged = issuerToken(rsaKeyPair().privateKey, admin());
    expect((await alertsWith(forged)).status).toBe(401);
  });

  it('answers 401 for a token of another issuer', async () => {
    const token = issuerToken(issuerKey.privateKey, admin(), { issuer: 'http://127.0.0.1:14051/' });
    expect((await alertsWith(token)).status).toBe(401);
  });

  it('answers 401 for a token of another audience', async () => {
    const token = issuerToken(issuerKey.privateKey, admin(), { audience: 'some-other-api' });
    expect((await alertsWith(token)).status).toBe(401);
  });

  it('answers 401 for an expired token', async () => {
    const token = issuerToken(issuerKey.privateKey, admin(), { expiresIn: -60 });
    expect((await alertsWith(token)).status).toBe(401);
  });

  it('answers 401 for an HS256 dev token signed with the local JWT_SECRET', async () => {
    const devToken = signDevToken(admin(), care.local.JWT_SECRET);
    expect((await alertsWith(devToken)).status).toBe(401);
    // The fixture's own clients carry dev tokens: refused too.
    expect((await care.admin.get('/api/v1/alerts')).status).toBe(401);
  });

  it('answers 401 for a token whose kid the JWKS does not hold', async () => {
    const token = issuerToken(issuerKey.privateKey, admin(), { kid: 'unknown-kid' });
    expect((await alertsWith(token)).status).toBe(401);
  });

  it('answers 403 to a nurse from the issuer creating a patient', async () => {
    const nurse = issuerToken(issuerKey.privateKey, { sub: `${care.runId}-oidc-nurse`, role: 'nurse', careTeams: [care.careTeam] });
    expect((await alertsWith(nurse)).status).toBe(200);
    const res = await care.anonymous.withToken(nurse).post('/api/v1/patients', care.aPatientRequest());
    expect(res.status).toBe(403);
  });
});
