import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { cacheControlOf, contentTypeOf, etagOf, notBuiltPage, PAGE_SECURITY_HEADERS } from './static-files';

export const WEB_ROOT = Symbol('WEB_ROOT');

/**
 * Paths that belong to the API (/api, the FHIR API /fhir) and operations, never to the UI: they go on to Nest's router
 * untouched (an unknown /api path stays a JSON 404). Case-insensitive, because the API's routing
 * is case-sensitive: /API/v1/alerts must be a 404, not the UI's page.
 */
const NOT_THE_UI = /^\/(api|fhir|healthz|readyz|metrics)(\/|$)/i;

type Request = IncomingMessage & { originalUrl?: string };

/**
 * Serves the built UI (dist/care-web) with an SPA fallback: a file when there is one, index.html
 * for any other page path (/patients/{id} is the UI's route), 404 for a missing file with an
 * extension (a stale asset must not come back as HTML). Middleware rather than a controller: it
 * runs before Nest's router, so it is no route of the API (nor of its OpenAPI table), and the
 * bearer-token guard never sees these requests: the files carry no patient data; the data comes
 * from /api with a token.
 */
@Injectable()
export class WebStaticMiddleware implements NestMiddleware<Request, ServerResponse> {
  constructor(@Inject(WEB_ROOT) private readonly root: string) {}

  use(request: Request, response: ServerResponse, next: (error?: unknown) => void): void {
    const method = request.method ?? 'GET';
    // The path as sent (a URL parser would resolve dot segments first and hide them from the checks below).
    const pathname = (request.originalUrl ?? request.url ?? '/').split(/[?#]/)[0] || '/';
    if ((method !== 'GET' && method !== 'HEAD') || NOT_THE_UI.test(pathname)) return next();
    this.serve(pathname, request, response).catch(next);
  }

  private async serve(pathname: string, request: Request, response: ServerResponse): Promise<void> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return this.plain(response, 400, 'Bad Request');
    }
    // No NUL bytes, no dot-files or dot-dot segments: only what the build wrote is served.
    if (decoded.includes('\0') || decoded.split('/').some((segment) => segment.startsWith('.'))) return this.plain(response, 404, 'Not Found');
    const root = resolve(this.root);
    const file = resolve(root, `.${normalize(decoded)}`);
    if (file !== root && !file.startsWith(root + sep)) return this.plain(response, 404, 'Not Found');

    const found = await stat(file).catch(() => null);
    if (found?.isFile()) return this.send(file, pathname, request, response);
    if (extname(decoded) !== '') return this.plain(response, 404, 'Not Found');
    const index = join(root, 'index.html');
    if (!(await stat(index).catch(() => null))?.isFile()) {
      response.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '30', ...PAGE_SECURITY_HEADERS });
      response.end(request.method === 'HEAD' ? undefined : notBuiltPage(root));
      return;
    }
    return this.send(index, '/', request, response);
  }

  private async send(file: string, urlPath: string, request: Request, response: ServerResponse): Promise<void> {
    const stats = await stat(file);
    const etag = etagOf(stats);
    const type = contentTypeOf(file);
    const headers: Record<string, string> = {
      'content-type': type,
      'cache-control': cacheControlOf(urlPath),
      etag,
      'last-modified': stats.mtime.toUTCString(),
      'x-content-type-options': 'nosniff',
      ...(type.startsWith('text/html') ? PAGE_SECURITY_HEADERS : {}),
    };
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, headers);
      response.end();
      return;
    }
    response.writeHead(200, { ...headers, 'content-length': String(stats.size) });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(file)
      .on('error', () => response.destroy())
      .pipe(response);
  }

  private plain(response: ServerResponse, status: number, text: string): void {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    response.end(text);
  }
}
