/**
 * What the web chat's responses carry besides their body: security headers (the page's
 * Content-Security-Policy allows only its own hashed style and script), the partner origins
 * allowed to embed the chat (frame-ancestors for an iframe, CORS for `/api/chat` from their own
 * page), and gzip or brotli on text bodies, which a phone paid by the megabyte feels most.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';

/** Settings of the web channel's HTTP side. */
export interface WebHttpSettings {
  /**
   * Origins of partner sites allowed to embed the chat in a frame and to call `/api/chat` from
   * their pages (`https://partner.example.org`). Empty: no site may frame the chat.
   */
  embedOrigins: readonly string[];
  /** Send `Strict-Transport-Security` (production, behind HTTPS). */
  hsts: boolean;
}

/** A CSP source for an inline `<style>` or `<script>` body. */
export function cspHash(body: string): string {
  return `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`;
}

/** Who may frame the page: nobody, or the page itself and the partners. */
function frameAncestors(settings: WebHttpSettings): string {
  return settings.embedOrigins.length === 0 ? "'none'" : ["'self'", ...settings.embedOrigins].join(' ');
}

/** Headers common to every web chat response. */
function commonHeaders(settings: WebHttpSettings): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...(settings.embedOrigins.length === 0 ? { 'X-Frame-Options': 'DENY' } : {}),
    ...(settings.hsts ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** Headers of the chat page: only its own inline style and script run; it talks to this origin only. */
export function pageHeaders(settings: WebHttpSettings, css: string, js: string): Record<string, string> {
  return {
    ...commonHeaders(settings),
    'Content-Security-Policy': [
      "default-src 'none'",
      `style-src ${cspHash(css)}`,
      `script-src ${cspHash(js)}`,
      "img-src 'self'",
      "connect-src 'self'",
      "form-action 'none'",
      "base-uri 'none'",
      `frame-ancestors ${frameAncestors(settings)}`,
    ].join('; '),
  };
}

/** Headers of API and asset responses: nothing in them may run or be framed. */
export function apiHeaders(settings: WebHttpSettings): Record<string, string> {
  return { ...commonHeaders(settings), 'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'" };
}

/**
 * CORS for a partner page calling `/api/chat`: the request's Origin is echoed when it is on the
 * allow-list, never `*`. Answers a preflight itself; returns true when it did.
 */
export function cors(settings: WebHttpSettings, req: Request, res: Response): boolean {
  const origin = req.get('origin');
  res.vary('Origin');
  if (!origin || !settings.embedOrigins.includes(origin)) return false;
  res.set('Access-Control-Allow-Origin', origin);
  if (req.method !== 'OPTIONS') return false;
  res.set({ 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type', 'Access-Control-Max-Age': '600' });
  res.status(204).end();
  return true;
}

type Encoding = 'br' | 'gzip' | 'identity';

/** The best encoding the client accepts (brotli, then gzip). */
export function pickEncoding(acceptEncoding: string | undefined): Encoding {
  const accepted = (acceptEncoding ?? '')
    .split(',')
    .map((part) => part.trim().split(';'))
    .filter(([, q]) => !q || !/^q=0(\.0*)?$/.test(q.trim()))
    .map(([name]) => name?.trim().toLowerCase());
  if (accepted.includes('br')) return 'br';
  if (accepted.includes('gzip')) return 'gzip';
  return 'identity';
}

/** Bodies smaller than this go as they are (compression would not pay for its headers). */
const MIN_COMPRESS = 512;

/** Compresses a body for `encoding`; `best` for a fixed body compressed once (slower, smaller). */
export function compress(body: Buffer, encoding: Encoding, best = false): Buffer {
  if (encoding === 'br') {
    const quality = best ? zlib.BROTLI_MAX_QUALITY : 5;
    return brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: quality, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } });
  }
  if (encoding === 'gzip') return gzipSync(body, { level: best ? 9 : 6 });
  return body;
}

/** Content-Type of the short types `sendText` is given ('json', 'html'), looked up once each. */
const CONTENT_TYPES = new Map<string, string>();

/**
 * Sends a text body compressed as the client accepts (`cache` keeps a fixed body's encodings).
 * A fixed body goes through express's `send` (ETag, 304 to a fresh request, HEAD); a body made
 * for this request (an `/api/chat` answer, never cached) is written as it is: hashing it for an
 * ETag no client can use was a SHA-1 per turn.
 */
export function sendText(req: Request, res: Response, type: string, body: string | Buffer, cache?: Map<Encoding, Buffer>): void {
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.vary('Accept-Encoding');
  const contentType = CONTENT_TYPES.get(type);
  if (contentType !== undefined) res.setHeader('Content-Type', contentType);
  else {
    res.type(type);
    const resolved = res.get('Content-Type');
    if (resolved !== undefined && CONTENT_TYPES.size < 16) CONTENT_TYPES.set(type, resolved);
  }
  const encoding = raw.length < MIN_COMPRESS ? 'identity' : pickEncoding(req.get('accept-encoding'));
  let out = cache?.get(encoding);
  if (!out) {
    out = compress(raw, encoding, cache !== undefined);
    cache?.set(encoding, out);
  }
  if (encoding !== 'identity') res.set('Content-Encoding', encoding);
  if (cache) {
    res.send(out);
    return;
  }
  res.setHeader('Content-Length', out.length);
  if (req.method === 'HEAD') res.end();
  else res.end(out);
}
