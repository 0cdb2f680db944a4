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
  return Object.keys(update).find((k) => k !== 'update_id') ?? 'empty';
}

/** `/start@DalilBot payload` -> `/start payload`: the engine knows commands, not bot names. */
export function normaliseCommand(text: string): string {
  return text.replace(/^(\/[A-Za-z0-9_]+)@[A-Za-z0-9_]+/, '$1');
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
  const loc = m.location ?? m.venue?.location;
  return loc ? { lat: loc.latitude, lon: loc.longitude } : undefined;
}

/**
 * Parses an update into what the engine needs, or `null` for updates Dalil ignores (edits,
 * channel posts, membership changes, service messages, groups). `receivedAt` is the receipt time.
 */
export function parseTelegramUpdate(update: TelegramUpdate, receivedAt: number): TelegramInbound | null {
  const deliveryId = String(update.update_id);
  const cq = update.callback_query;
  if (cq) {
    if (cq.data === undefined || cq.data === '') return null;
    if (cq.message && cq.message.chat.type !== 'private') return null;
    const message: InboundMessage = { channel: 'telegram', choiceId: cq.data, receivedAt };
    if (cq.from.language_code) message.localeHint = cq.from.language_code;
    return { userId: String(cq.from.id), chatId: cq.message?.chat.id ?? cq.from.id, deliveryId, message };
  }
  const m = update.message;
  if (!m || m.chat.type !== 'private' || !m.from || m.from.is_bot) return null;
  const message: InboundMessage = { channel: 'telegram', receivedAt };
  const text = m.text ?? m.caption;
  if (text !== undefined && text.trim() !== '') message.text = m.text !== undefined ? normaliseCommand(text) : text;
  const location = locationOf(m);
  if (location) message.location = location;
  else {
    const media = mediaOf(m);
    if (media) message.media = media;
  }
  if (message.text === undefined && message.location === undefined && message.media === undefined) return null;
  if (m.from.language_code) message.localeHint = m.from.language_code;
  return { userId: String(m.from.id), chatId: m.chat.id, deliveryId, message };
}
