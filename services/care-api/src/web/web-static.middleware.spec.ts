import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebStaticMiddleware } from './web-static.middleware';

/** The middleware in a bare HTTP server; whatever it hands on answers 418 so the test can tell. */
async function serverFor(root: string): Promise<{ server: Server; url: string }> {
  const middleware = new WebStaticMiddleware(root);
  const server = createServer((req, res) =>
    middleware.use(req, res, () => {
      res.writeHead(418);
      res.end('handed on');
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A GET with the path exactly as written (fetch would normalise the dot segments away first). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(`${url}/`, { path }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('WebStaticMiddleware', () => {
  const root = mkdtempSync(join(tmpdir(), 'care-web-'));
  let built: { server: Server; url: string };
  let missing: { server: Server; url: string };

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>UI</title>');
    writeFileSync(join(root, 'assets', 'index-Ab12.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'index-Cd34.css'), 'body{}');
    writeFileSync(join(root, '.env'), 'SECRET=1');
    built = await serverFor(root);
    missing = await serverFor(join(root, 'not-built'));
  });
  afterAll(() => {
    built.server.close();
    missing.server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / with no-cache, an ETag and the page security headers', async () => {
    const res = await fetch(`${built.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await res.text()).toContain('<title>UI</title>');
    const again = await fetch(`${built.url}/`, { headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });

  it('answers every page path of the UI with index.html (SPA fallback)', async () => {
    const res = await fetch(`${built.url}/patients/0d3c2b1a-0000-4000-8000-000000000000`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>UI</title>');
  });

  it.each([
    ['/assets/index-Ab12.js', 'text/javascript; charset=utf-8'],
    ['/assets/index-Cd34.css', 'text/css; charset=utf-8'],
  ])('serves %s as %s, cached for a year', async (path, type) => {
    const res = await fetch(`${built.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each(['/assets/index-Old9.js', '/.env', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f.env', '/assets/%2e%2e/.env'])(
    'refuses %s with a 404, never the page',
    async (path) => {
      const res = await rawGet(built.url, path);
      expect(res).toEqual({ status: 404, body: 'Not Found' });
    },
  );

  it.each([
    ['GET', '/api/v1/alerts'],
    ['GET', '/api/v1/no-such-route'],
    ['GET', '/API/v1/alerts'],
    ['GET', '/healthz'],
    ['GET', '/readyz'],
    ['GET', '/metrics'],
    ['GET', '/fhir/R4/metadata'],
    ['GET', '/fhir/R4/Observation/0a1b2c3d-0000-4000-8000-000000000000.mi0n9w1c.0123456789abcdef'],
    ['POST', '/'],
  ])('hands %s %s on to the API', async (method, path) => {
    expect((await fetch(`${built.url}${path}`, { method })).status).toBe(418);
  });

  it('says how to build the UI when dist/care-web is missing', async () => {
    const res = await fetch(`${missing.url}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run web:build');
    expect((await fetch(`${missing.url}/healthz`)).status).toBe(418);
  });
});
