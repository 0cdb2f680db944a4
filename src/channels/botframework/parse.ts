/**
 * Bot Framework activity -> channel-neutral message. Pure. `message` activities in one-to-one
 * conversations are served, and a `conversationUpdate` that adds a person (not the bot) becomes an
 * empty message, which the engine answers with its welcome; typing, events and group chats are
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

/** The channel's id of an activity, for the user key. */
function channelOf(activity: Partial<Activity>): string {
  return typeof activity.channelId === 'string' && activity.channelId !== '' ? activity.channelId : 'unknown';
}

/**
 * A person added to a one-to-one conversation (Web Chat opening, the Emulator connecting): an
 * empty message from them, so Dalil greets first. `null` when only the bot was added.
 */
function parseMembersAdded(activity: Partial<Activity>, receivedAt: number): BotFrameworkInbound | null {
  const conversation: unknown = activity.conversation;
  if (typeof conversation === 'object' && conversation !== null && (conversation as { isGroup?: unknown }).isGroup === true) return null;
  const recipient: unknown = activity.recipient;
  const botId = typeof recipient === 'object' && recipient !== null ? (recipient as { id?: unknown }).id : undefined;
  const added: unknown[] = Array.isArray(activity.membersAdded) ? activity.membersAdded : [];
  const person = added
    .map((m) => (typeof m === 'object' && m !== null ? (m as { id?: unknown }).id : undefined))
    .find((id): id is string => typeof id === 'string' && id !== '' && id !== botId);
  if (!person) return null;
  const message: InboundMessage = { channel: 'botframework', receivedAt };
  if (typeof activity.locale === 'string' && activity.locale !== '') message.localeHint = activity.locale;
  const inbound: BotFrameworkInbound = { userId: `${channelOf(activity)}:${person}`, message };
  if (typeof activity.id === 'string' && activity.id !== '') inbound.deliveryId = activity.id;
  return inbound;
}

/** Parses an activity, or returns `null` for activities Dalil does not answer. */
export function parseActivity(activity: Partial<Activity>, receivedAt: number): BotFrameworkInbound | null {
  // Every field is checked at run time: a parser never throws, whatever it is given.
  if (typeof activity !== 'object' || activity === null) return null;
  if (activity.type === 'conversationUpdate') return parseMembersAdded(activity, receivedAt);
  if (activity.type !== 'message') return null;
  const from: unknown = activity.from;
  const conversation: unknown = activity.conversation;
  if (typeof from !== 'object' || from === null) return null;
  const { id: fromId, role } = from as { id?: unknown; role?: unknown };
  if (typeof fromId !== 'string' || fromId === '' || role === 'bot') return null;
  if (typeof conversation === 'object' && conversation !== null && (conversation as { isGroup?: unknown }).isGroup === true) return null;
  const message: InboundMessage = { channel: 'botframework', receivedAt };
  const choiceId = choiceIdOf(activity.value);
  if (choiceId) {
    // A suggested action: its text is only the choice's number, for clients that drop `value`.
    message.choiceId = choiceId;
  } else {
    const text = typeof activity.text === 'string' ? activity.text.trim() : '';
    if (text) message.text = text;
    const attachments: unknown[] = Array.isArray(activity.attachments) ? activity.attachments : [];
    const media = attachments
      .map((a) => attachmentKind(typeof a === 'object' && a !== null && typeof (a as { contentType?: unknown }).contentType === 'string' ? (a as { contentType: string }).contentType : undefined))
      .find((k) => k !== undefined);
    if (media) message.media = media;
  }
  if (!message.text && !message.choiceId && !message.media) return null;
  if (typeof activity.locale === 'string' && activity.locale !== '') message.localeHint = activity.locale;
  const inbound: BotFrameworkInbound = { userId: `${channelOf(activity)}:${fromId}`, message };
  if (typeof activity.id === 'string' && activity.id !== '') inbound.deliveryId = activity.id;
  return inbound;
}
