/**
 * Telegram update -> channel-neutral message. Pure: no I/O, no clock (the caller passes the time).
 * Only private chats are served: in a group, answers about someone's papers would be public.
 */
import type { Bot } from 'grammy';
import type { GeoPoint, InboundMessage, MediaKind } from '../../domain/index.js';

/** A Telegram update as grammY types it. */
export type TelegramUpdate = Parameters<Bot['handleUpdate']>[0];
type TelegramMessage = NonNullable<TelegramUpdate['message']>;

/** What the adapter needs from an update it serves. */
export interface TelegramInbound {
  /** The sender's id (hashed by the engine's keyer, never logged). */
  userId: string;
  /** Where to answer (the private chat with the sender). */
  chatId: number;
  /** `update_id`, for idempotency of redelivered webhooks. */
  deliveryId: string;
  message: InboundMessage;
}

/** The name of an update's payload field (`message`, `edited_message`, `my_chat_member` ...), for logs. */
export function updateType(update: TelegramUpdate): string {
  if (!isObject(update)) return 'malformed';
  return Object.keys(update).find((k) => k !== 'update_id') ?? 'empty';
}

/** `/start@DalilBot payload` -> `/start payload`: the engine knows commands, not bot names. */
export function normaliseCommand(text: string): string {
  return text.replace(/^(\/[A-Za-z0-9_]+)@[A-Za-z0-9_]+/, '$1');
}

/**
 * Runtime shape checks: the webhook is authenticated, but a parser must never throw on what it
 * is given (a Bot API change, a bug upstream, a leaked secret), so every field is checked.
 */
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** A Telegram user or chat id: an integer (ids exceed 32 bits; JSON numbers hold them exactly). */
function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}
function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Message content that is neither text nor location: what the user sent instead. */
function mediaOf(m: TelegramMessage): MediaKind | undefined {
  if (m.voice) return 'voice';
  if (m.audio) return 'audio';
  if (m.sticker) return 'sticker';
  if (m.photo) return 'image';
  if (m.video || m.video_note || m.animation) return 'video';
  if (m.document) return 'document';
  if (m.contact || m.poll || m.dice || m.game || m.story) return 'other';
  return undefined;
}

function locationOf(m: TelegramMessage): GeoPoint | undefined {
  const venue: unknown = m.venue;
  const loc: unknown = m.location ?? (isObject(venue) ? venue.location : undefined);
  if (!isObject(loc)) return undefined;
  const lat = loc.latitude;
  const lon = loc.longitude;
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    return undefined;
  }
  return { lat, lon };
}

/**
 * Parses an update into what the engine needs, or `null` for updates Dalil ignores (edits,
 * channel posts, membership changes, service messages, groups). `receivedAt` is the receipt time.
 */
export function parseTelegramUpdate(update: TelegramUpdate, receivedAt: number): TelegramInbound | null {
  if (!isObject(update)) return null;
  const deliveryId = String(update.update_id);
  const cq: unknown = update.callback_query;
  if (cq !== undefined) {
    if (!isObject(cq) || typeof cq.data !== 'string' || cq.data === '') return null;
    const from = cq.from;
    if (!isObject(from) || !isId(from.id)) return null;
    const cqMessage = cq.message;
    let chatId = from.id;
    if (cqMessage !== undefined) {
      const chat = isObject(cqMessage) ? cqMessage.chat : undefined;
      if (!isObject(chat) || chat.type !== 'private' || !isId(chat.id)) return null;
      chatId = chat.id;
    }
    const message: InboundMessage = { channel: 'telegram', choiceId: cq.data, receivedAt };
    const hint = optionalString(from.language_code);
    if (hint) message.localeHint = hint;
    return { userId: String(from.id), chatId, deliveryId, message };
  }
  const m = update.message as unknown;
  if (!isObject(m) || !isObject(m.chat) || m.chat.type !== 'private' || !isId(m.chat.id)) return null;
  if (!isObject(m.from) || !isId(m.from.id) || m.from.is_bot === true) return null;
  const message: InboundMessage = { channel: 'telegram', receivedAt };
  const rawText = typeof m.text === 'string' ? m.text : undefined;
  const text = rawText ?? (typeof m.caption === 'string' ? m.caption : undefined);
  if (text !== undefined && text.trim() !== '') message.text = rawText !== undefined ? normaliseCommand(text) : text;
  const typed = m as unknown as TelegramMessage;
  const location = locationOf(typed);
  if (location) message.location = location;
  else {
    const media = mediaOf(typed);
    if (media) message.media = media;
  }
  if (message.text === undefined && message.location === undefined && message.media === undefined) return null;
  const hint = optionalString(m.from.language_code);
  if (hint) message.localeHint = hint;
  return { userId: String(m.from.id), chatId: m.chat.id, deliveryId, message };
}
