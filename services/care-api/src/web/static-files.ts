import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { extname } from 'node:path';

/** Content types of what Vite emits (anything else goes out as bytes, never sniffed: nosniff). */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Vite names everything under assets/ by its content hash, so a cached copy can never be stale:
 * a year, immutable. index.html names the current hashes, so it is revalidated on every load
 * (no-cache + ETag: a 304 when nothing changed). Other files (none today) get an hour.
 */
export function cacheControlOf(urlPath: string): string {
  if (urlPath.startsWith('/assets/')) return 'public, max-age=31536000, immutable';
  if (urlPath === '/' || urlPath.endsWith('.html') || extname(urlPath) === '') return 'no-cache';
  return 'public, max-age=3600';
}

/** A validator from size and modification time: cheap, and changes with every build. */
export function etagOf(stats: Stats): string {
  return `W/"${createHash('sha1').update(`${stats.size}:${stats.mtimeMs}`).digest('base64url').slice(0, 16)}"`;
}

/**
 * Headers of every page: the UI loads only its own scripts and styles and talks only to this
 * origin, nobody may frame it (clickjacking on a clinical screen), and no referrer leaves it.
 */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** What a browser gets when the UI was never built: how to build it, rather than a bare 404. */
export function notBuiltPage(webRoot: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Worklist UI not built</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5}code{background:#eef1f5;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>The worklist UI is not built</h1>
<p>care-api serves the nurses' UI from <code>${webRoot.replace(/[<>&]/g, '')}</code>, which has no <code>index.html</code>.</p>
<p>Build it with <code>npm run web:build</code> (npm run demo and npm test build it for you), then reload this page.</p>
<p>The API itself is up: <code>/api/v1</code>, <code>/healthz</code>, <code>/readyz</code> and <code>/metrics</code> answer as usual.</p>
</body></html>
`;
}
