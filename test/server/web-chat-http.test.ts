/**
 * The web chat's HTTP side: security headers on the page, its favicon and `/api/chat` (the
 * page's CSP holds the hashes of exactly its own style and script), partner sites allowed to
 * embed it (frame-ancestors, CORS on `/api/chat`, `/embed.js`) and refused when not listed,
 * HSTS in production, brotli or gzip on text, and the API's optional `short` with previews only
 * when asked. A stand-in turn handler answers, so only the channel is under test.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Script } from 'node:vm';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, productionProblems } from '../../src/config/index.js';
import type { Reply, TurnHandler } from '../../src/domain/index.js';
import { smsCapabilities } from '../../src/channels/shared/capabilities.js';
import { createSmsFitter } from '../../src/channels/shared/sms.js';
import { pickEncoding } from '../../src/channels/web/http.js';
import { CHAT_JS, CHAT_PAGE, EMBED_JS } from '../../src/channels/web/page.js';
import { createWebRouter, type WebChannelSettings } from '../../src/channels/web/router.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createApp } from '../../src/server/app.js';
import { testEnv } from '../helpers/admin-data.js';

const PARTNER = 'https://partner.example.org';
const ANSWER: Reply = {
  kind: 'answer',
  lang: 'fr',
  text: `*Carte de séjour*\n\n${'Au Maroc, la loi 02-03 dit que tout étranger de 18 ans ou plus doit avoir un titre de séjour. '.repeat(20)}`,
  short: 'Carte de sejour obligatoire des 18 ans. Repondez PLUS pour la suite.',
  links: [{ title: 'Loi 02-03', url: 'https://example.org/loi' }],
};
const handleTurn: TurnHandler = async () => ({ replies: [ANSWER], duplicate: false, lang: 'fr' });

async function serve(http: WebChannelSettings['http']): Promise<{ url: string; server: Server }> {
  const caps = smsCapabilities(3);
  const smsFit = createSmsFitter(caps, (_lang, key) => (key === 'paging.more' ? 'Reply MORE for the rest' : key));
  const router = createWebRouter({ maxBodySize: '64kb', smsCapabilities: caps, smsFit, http }, { handleTurn, logger: silentLogger });
  const app = createApp({ mounts: [{ name: 'web', path: '/', router }], health: async () => ({ status: 'ok', state: 'ok', channels: [], content: 'x' }), logger: silentLogger });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const sha = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
const inline = (tag: string): string => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(CHAT_PAGE)?.[1] ?? '';
const post = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the web chat, alone (no partner may embed it)', () => {
  let s: { url: string; server: Server };
  beforeAll(async () => {
    s = await serve(undefined);
  });
  afterAll(() => new Promise<void>((resolve) => s.server.close(() => resolve())));

  it('serves the page with a CSP that allows only its own style and script, and refuses frames', async () => {
    const res = await fetch(`${s.url}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`style-src ${sha(inline('style'))}`);
    expect(csp).toContain(`script-src ${sha(inline('script'))}`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(await res.text()).toBe(CHAT_PAGE);
  });

  it('sends the page and the answers with brotli or gzip, as the browser accepts', async () => {
    // fetch() decompresses by itself; read the bytes through a plain request to see the wire.
    const { request } = await import('node:http');
    const wire = (path: string, encoding: string, body?: string) =>
      new Promise<{ headers: Record<string, unknown>; bytes: Buffer }>((resolve, reject) => {
        const req = request(`${s.url}${path}`, { method: body ? 'POST' : 'GET', headers: { 'accept-encoding': encoding, ...(body ? { 'content-type': 'application/json' } : {}) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const br = await wire('/', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.bytes).toString('utf8')).toBe(CHAT_PAGE);
    expect(br.bytes.length).toBeLessThan(Buffer.byteLength(CHAT_PAGE) / 2);
    const gz = await wire('/', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.bytes).toString('utf8')).toBe(CHAT_PAGE);
    const plain = await wire('/', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.toString('utf8')).toBe(CHAT_PAGE);
    const api = await wire('/api/chat', 'br', JSON.stringify({ user: 'u1', text: 'carte' }));
    expect(api.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(api.bytes).toString('utf8')).replies[0].kind).toBe('answer');
  });

  it('answers /api/chat with the short form and without previews unless asked, under the same headers', async () => {
    const res = await post(s.url, { user: 'u2', text: 'carte' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const json = (await res.json()) as { replies: Array<{ short?: string; preview?: unknown; text: string }> };
    expect(json.replies[0]?.short).toBe(ANSWER.short);
    expect(json.replies[0]?.text).toBe(ANSWER.text);
    expect(json.replies[0]?.preview).toBeUndefined();
    const asked = (await (await post(s.url, { user: 'u3', text: 'carte', preview: true })).json()) as { replies: Array<{ preview?: unknown }> };
    expect(asked.replies[0]?.preview).toMatchObject({ sms: { encoding: 'GSM-7' } });
  });

  it('serves a favicon and refuses a partner that is not on the list', async () => {
    const icon = await fetch(`${s.url}/favicon.svg`);
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await icon.text()).toMatch(/^<svg /);
    const preflight = await fetch(`${s.url}/api/chat`, { method: 'OPTIONS', headers: { origin: PARTNER, 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const cross = await post(s.url, { user: 'u4', text: 'carte' }, { origin: PARTNER });
    expect(cross.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the web chat embedded by a partner site, in production', () => {
  let s: { url: string; server: Server };
  beforeAll(async () => {
    s = await serve({ embedOrigins: [PARTNER], hsts: true });
  });
  afterAll(() => new Promise<void>((resolve) => s.server.close(() => resolve())));

  it('lets the listed origin frame the page and call /api/chat, and no other', async () => {
    const page = await fetch(`${s.url}/`);
    expect(page.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${PARTNER}`);
    expect(page.headers.get('x-frame-options')).toBeNull();
    expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');

    const preflight = await fetch(`${s.url}/api/chat`, { method: 'OPTIONS', headers: { origin: PARTNER, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/content-type/i);
    const cross = await post(s.url, { user: 'u5', text: 'carte' }, { origin: PARTNER });
    expect(cross.status).toBe(200);
    expect(cross.headers.get('access-control-allow-origin')).toBe(PARTNER);
    const other = await post(s.url, { user: 'u6', text: 'carte' }, { origin: 'https://evil.example.com' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves /embed.js, which opens the chat from this origin in a frame', async () => {
    const res = await fetch(`${s.url}/embed.js`);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await res.text()).toBe(EMBED_JS);
  });
});

describe('the page script and the settings', () => {
  it('the inline scripts parse (a syntax error would leave a person with a dead page)', () => {
    expect(() => new Script(CHAT_JS)).not.toThrow();
    expect(() => new Script(EMBED_JS)).not.toThrow();
  });

  it('picks brotli, then gzip, and honours q=0', () => {
    expect(pickEncoding('gzip, deflate, br')).toBe('br');
    expect(pickEncoding('gzip, br;q=0')).toBe('gzip');
    expect(pickEncoding('identity')).toBe('identity');
    expect(pickEncoding(undefined)).toBe('identity');
  });

  it('reads WEB_EMBED_ORIGINS as origins, refuses a path, and wants https in production', () => {
    expect(loadConfig(testEnv({ WEB_EMBED_ORIGINS: `${PARTNER}, http://localhost:8080` })).webEmbedOrigins).toEqual([PARTNER, 'http://localhost:8080']);
    expect(loadConfig(testEnv({})).webEmbedOrigins).toEqual([]);
    expect(() => loadConfig(testEnv({ WEB_EMBED_ORIGINS: `${PARTNER}/chat` }))).toThrow(/WEB_EMBED_ORIGINS/);
    const config = loadConfig(testEnv({ WEB_EMBED_ORIGINS: 'http://partner.example.org' }));
    expect(productionProblems({ ...config, env: 'production' }).join('\n')).toMatch(/WEB_EMBED_ORIGINS must list https/);
  });
});
