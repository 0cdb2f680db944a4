/**
 * The web channel: `POST /api/chat` (JSON, also how a partner site embeds Dalil), the web chat
 * page at `/` (with `?preview=1`, each reply also as SMS, WhatsApp and Telegram would render it),
 * its favicon, and `/embed.js`, the script tag a partner site adds to open the chat in a frame.
 */
import express, { type Router } from 'express';
import type { ChannelAdapter, ChannelCapabilities, FittedReplies, Lang, Logger, Reply, TurnHandler } from '../../domain/index.js';
import { BadRequestError, dirOf, smsEncoding, smsSegments } from '../../domain/index.js';
import { CAPABILITIES } from '../shared/capabilities.js';
import { jsonBody } from '../shared/json-body.js';
import { deliver, NOTHING_SENT, type PipelineDeps } from '../shared/pipeline.js';
import { renderText } from '../shared/render.js';
import { renderSmsBody } from '../shared/sms.js';
import { cors, apiHeaders, pageHeaders, sendText, type WebHttpSettings } from './http.js';
import { CHAT_CSS, CHAT_JS, CHAT_PAGE, EMBED_JS, FAVICON_SVG } from './page.js';

export interface WebChannelSettings {
  maxBodySize: string;
  /** Capabilities used for the SMS preview (with the configured segment budget). */
  smsCapabilities: ChannelCapabilities;
  /** The SMS channel's fitter, so the preview shows what an SMS user gets. */
  smsFit: SmsFit;
  /** Partner origins allowed to embed the chat (WEB_EMBED_ORIGINS) and HSTS; default none and off. */
  http?: Partial<WebHttpSettings>;
}

export interface WebChannelDeps {
  handleTurn: TurnHandler;
  /** Told how each turn's sends went (metrics). */
  onDelivered?: PipelineDeps['onDelivered'];
  logger: Logger;
  /** Language of a turn whose handler could not say (default French). */
  defaultLang?: Lang;
  /**
   * A case worker's replies waiting for a web user (each returned once), and whether the user's
   * case is still open; absent: `/api/chat/updates` answers 404 (no case desk).
   */
  caseUpdates?: (userId: string) => Promise<CaseUpdates>;
}

/** What `/api/chat/updates` returns: the case worker's replies since the last poll, and whether to keep polling. */
export interface CaseUpdates {
  replies: Array<{ id: string; text: string; at: number }>;
  open: boolean;
}

/** A reply as `/api/chat` returns it. */
export interface ApiReply {
  kind: Reply['kind'];
  text: string;
  choices: { id: string; label: string }[];
  links: { title: string; url: string }[];
  lang: Reply['lang'];
  dir: 'rtl' | 'ltr';
  /** The content's short form of an answer (a few lines), which a page may show first. */
  short?: string;
  preview?: {
    sms: { text: string; encoding: string; segments: number; chars: number };
    whatsapp: { text: string };
    telegram: { text: string; buttons: string[] };
  };
}

const USER_ID = /^[A-Za-z0-9_-]{1,128}$/;

interface ChatBody {
  user: string;
  text?: string;
  choice?: string;
  id?: string;
  preview: boolean;
}

/** Validates the JSON body of `/api/chat`; throws `BadRequestError` with a message for the client. */
export function parseChatBody(body: unknown, query: Record<string, unknown>): ChatBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequestError('expected a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.user !== 'string' || !USER_ID.test(b.user)) {
    throw new BadRequestError('"user" must be 1-128 letters, digits, "-" or "_" (an id the page makes up, not a name or number)');
  }
  if (b.text !== undefined && typeof b.text !== 'string') throw new BadRequestError('"text" must be a string');
  if (b.choice !== undefined && (typeof b.choice !== 'string' || b.choice.length > 64)) throw new BadRequestError('"choice" must be a choice id');
  if (b.id !== undefined && (typeof b.id !== 'string' || b.id.length > 128)) throw new BadRequestError('"id" must be a string of at most 128 characters');
  if ((b.text === undefined || b.text.trim() === '') && b.choice === undefined) throw new BadRequestError('send "text" or "choice"');
  return {
    user: b.user,
    text: b.text as string | undefined,
    choice: b.choice as string | undefined,
    id: b.id as string | undefined,
    preview: b.preview === true || query.preview === '1',
  };
}

/** The SMS fitter's shape (`createSmsFitter` in channels/shared/sms.ts). */
export type SmsFit = (replies: readonly Reply[], lang: Reply['lang']) => FittedReplies;

/**
 * The reply as an SMS user gets it: an answer leads with its short form, "Full answer" first
 * among its choices, fitted to the segment budget by the SMS channel's own fitter.
 */
function smsPreviewText(reply: Reply, sms: ChannelCapabilities, fit: SmsFit): string {
  if (reply.short === undefined) return renderSmsBody(fit([reply], reply.lang).replies, sms);
  // "Full answer" first, then the answer's topics (feedback is not asked on SMS).
  const choices = reply.expand ? [reply.expand, ...(reply.choices ?? []).filter((c) => !c.id.startsWith('fb:'))] : [];
  const compact: Reply = { ...reply, text: reply.short, rest: reply.text, choices };
  return renderSmsBody(fit([compact], reply.lang).replies, sms);
}

/** How one reply renders on the other channels (for the web page's previews). */
export function previewOf(reply: Reply, sms: ChannelCapabilities, fit: SmsFit): NonNullable<ApiReply['preview']> {
  const smsText = smsPreviewText(reply, sms, fit);
  return {
    sms: { text: smsText, encoding: smsEncoding(smsText), segments: smsSegments(smsText), chars: smsText.length },
    whatsapp: { text: renderText(reply, CAPABILITIES.whatsapp) },
    telegram: { text: renderText(reply, CAPABILITIES.telegram), buttons: (reply.choices ?? []).map((c) => c.label) },
  };
}

/** A reply as `/api/chat` returns it, with the previews when asked for. */
function apiReply(r: Reply, preview: { sms: ChannelCapabilities; fit: SmsFit } | undefined): ApiReply {
  return {
    kind: r.kind,
    text: r.text,
    choices: r.choices ?? [],
    links: r.links ?? [],
    lang: r.lang,
    dir: dirOf(r.lang),
    ...(r.short !== undefined && r.short !== r.text ? { short: r.short } : {}),
    ...(preview ? { preview: previewOf(r, preview.sms, preview.fit) } : {}),
  };
}

/** Builds the web channel's router (mount at "/"): the chat page and `POST /api/chat`. */
export function createWebRouter(settings: WebChannelSettings, deps: WebChannelDeps): Router {
  const router = express.Router();
  const caps = CAPABILITIES.web;
  const pipeline = { handleTurn: deps.handleTurn, logger: deps.logger, defaultLang: deps.defaultLang ?? 'fr', ...(deps.onDelivered ? { onDelivered: deps.onDelivered } : {}) };
  const http: WebHttpSettings = { embedOrigins: settings.http?.embedOrigins ?? [], hsts: settings.http?.hsts ?? false };
  const page = { headers: pageHeaders(http, CHAT_CSS, CHAT_JS), cache: new Map() };
  const assets = { favicon: new Map(), embed: new Map() };
  router.get('/', (req, res) => {
    res.set(page.headers).set('Cache-Control', 'no-cache');
    sendText(req, res, 'html', CHAT_PAGE, page.cache);
  });
  router.get(['/favicon.svg', '/favicon.ico'], (req, res) => {
    res.set(apiHeaders(http)).set('Cache-Control', 'public, max-age=604800');
    sendText(req, res, 'image/svg+xml', FAVICON_SVG, assets.favicon);
  });
  router.get('/embed.js', (req, res) => {
    res.set(apiHeaders(http)).set('Cache-Control', 'public, max-age=3600').set('Cross-Origin-Resource-Policy', 'cross-origin');
    sendText(req, res, 'application/javascript', EMBED_JS, assets.embed);
  });
  // The API's headers, built once: they depend on the settings only.
  const apiHeaderList = Object.entries({ ...apiHeaders(http), 'Cache-Control': 'no-store' });
  router.use('/api/chat', (req, res, next) => {
    for (const [name, value] of apiHeaderList) res.setHeader(name, value);
    if (!cors(http, req, res)) next();
  });
  router.post('/api/chat', jsonBody(express.json, settings.maxBodySize), async (req, res, next) => {
    let body: ChatBody;
    try {
      body = parseChatBody(req.body, req.query as Record<string, unknown>);
    } catch (err) {
      if (err instanceof BadRequestError) {
        res.status(400).json({ error: err.message });
        return;
      }
      next(err);
      return;
    }
    const inbound = {
      userId: body.user,
      ...(body.id !== undefined ? { deliveryId: body.id } : {}),
      message: {
        channel: 'web' as const,
        text: body.text,
        choiceId: body.choice,
        localeHint: req.get('accept-language')?.slice(0, 2),
        receivedAt: Date.now(),
      },
    };
    const preview = body.preview ? { sms: settings.smsCapabilities, fit: settings.smsFit } : undefined;
    // The web chat is answered in the HTTP response: "sending" is writing it.
    await deliver({ id: 'web', capabilities: caps }, inbound, {
      render: (replies) => replies.map((r) => apiReply(r, preview)),
      send: async (replies, turn) => {
        sendText(req, res, 'json', JSON.stringify({ replies, duplicate: turn.duplicate, lang: turn.lang, ...(turn.caseOpen ? { caseOpen: true } : {}) }));
        return NOTHING_SENT;
      },
    }, pipeline);
  });
  router.post('/api/chat/updates', jsonBody(express.json, settings.maxBodySize), async (req, res) => {
    const user = (req.body as { user?: unknown } | undefined)?.user;
    if (typeof user !== 'string' || !USER_ID.test(user)) {
      res.status(400).json({ error: '"user" must be the id the page sends to /api/chat' });
      return;
    }
    if (!deps.caseUpdates) {
      res.status(404).json({ error: 'no case desk' });
      return;
    }
    try {
      res.json(await deps.caseUpdates(user));
    } catch (err) {
      // The page tries again at its next poll: the replies stay in the outbox.
      deps.logger.warn('channel.web.case_updates_failed', { error: err instanceof Error ? err.name : typeof err });
      res.status(503).json({ error: 'try again in a moment' });
    }
  });
  return router;
}

/** The web channel: the chat page and `/api/chat`, mounted at "/". */
export function createWebChannel(settings: WebChannelSettings, deps: WebChannelDeps): ChannelAdapter<Router> {
  return { id: 'web', capabilities: CAPABILITIES.web, mount: { name: 'web', path: '/', router: createWebRouter(settings, deps) } };
}
