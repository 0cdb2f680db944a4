/**
 * Bot Framework activity -> channel-neutral message. Pure. Only `message` activities in
 * one-to-one conversations are served; `conversationUpdate`, typing, events and group chats are
 * ignored. https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-activities
 */
import type { Activity } from 'botbuilder';
import type { InboundMessage, MediaKind } from '../../domain/index.js';

/** What the adapter needs from an activity it serves. */
export interface BotFrameworkInbound {
  /** `<channelId>:<from.id>`: hashed by the keyer, never logged. */
  userId: string;
  /** The activity id, for idempotency. */
  deliveryId?: string;
  message: InboundMessage;
}

/** Media kind of an attachment's content type; `undefined` for cards and other non-media. */
export function attachmentKind(contentType: string | undefined): MediaKind | undefined {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('application/vnd.microsoft.card.')) return undefined;
  if (type.startsWith('audio/')) return 'voice';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type === '') return undefined;
  return 'document';
}

/** The choice id carried by a suggested action's `value` (see render.ts), if any. */
function choiceIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as { choiceId?: unknown }).choiceId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Parses an activity, or returns `null` for activities Dalil does not answer. */
export function parseActivity(activity: Partial<Activity>, receivedAt: number): BotFrameworkInbound | null {
  if (activity.type !== 'message') return null;
  const fromId = activity.from?.id;
  if (!fromId || activity.from?.role === 'bot' || activity.conversation?.isGroup === true) return null;
  const message: InboundMessage = { channel: 'botframework', receivedAt };
  const choiceId = choiceIdOf(activity.value);
  if (choiceId) {
    // A suggested action: its text is only the choice's number, for clients that drop `value`.
    message.choiceId = choiceId;
  } else {
    const text = activity.text?.trim();
    if (text) message.text = text;
    const media = (activity.attachments ?? []).map((a) => attachmentKind(a.contentType)).find((k) => k !== undefined);
    if (media) message.media = media;
  }
  if (!message.text && !message.choiceId && !message.media) return null;
  if (activity.locale) message.localeHint = activity.locale;
  const inbound: BotFrameworkInbound = { userId: `${activity.channelId ?? 'unknown'}:${fromId}`, message };
  if (activity.id) inbound.deliveryId = activity.id;
  return inbound;
}
