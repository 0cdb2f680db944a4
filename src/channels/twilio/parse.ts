/**
 * Twilio Messaging webhook form -> channel-neutral message, for WhatsApp and SMS. Pure.
 * Fields: https://www.twilio.com/docs/messaging/guides/webhook-request
 * (MessageSid, From, Body, NumMedia, MediaContentType0, Latitude, Longitude, ButtonPayload,
 * OptOutType ...). Twilio adds fields without notice: unknown ones are ignored.
 */
import type { GeoPoint, InboundMessage, MediaKind } from '../../domain/index.js';

/** A parsed `application/x-www-form-urlencoded` body (a field sent twice becomes an array). */
export type TwilioParams = Record<string, string | string[] | undefined>;

/** The two channels Twilio carries for Dalil. */
export type TwilioChannel = 'whatsapp' | 'sms';

/** Carrier keywords Twilio recognises (Advanced Opt-Out) and reports in `OptOutType`. */
export type OptOutType = 'STOP' | 'START' | 'HELP';

/** What the adapter needs from an inbound message. */
export interface TwilioInbound {
  /** `From` (`whatsapp:+...` or `+...`): hashed by the keyer, used as the REST recipient, never logged. */
  userId: string;
  /** `MessageSid`, for idempotency. */
  deliveryId: string;
  message: InboundMessage;
  /** Set when Twilio recognised a carrier keyword. */
  optOut?: OptOutType;
}

/**
 * Twilio's default opt-out, opt-in and help keywords (whole message, any case), which its
 * Advanced Opt-Out answers itself and reports in `OptOutType`.
 * https://help.twilio.com/articles/223134027 (STOP, START and HELP keywords)
 */
const DEFAULT_KEYWORDS: Readonly<Record<string, OptOutType>> = {
  STOP: 'STOP', STOPALL: 'STOP', UNSUBSCRIBE: 'STOP', CANCEL: 'STOP', END: 'STOP', QUIT: 'STOP', REVOKE: 'STOP', OPTOUT: 'STOP',
  START: 'START', YES: 'START', UNSTOP: 'START',
  HELP: 'HELP', INFO: 'HELP',
};

/**
 * The carrier keyword a message is: `OptOutType` when Twilio sent it (SMS and WhatsApp), else,
 * on SMS only, one of Twilio's default keywords as the whole body.
 */
export function optOutOf(params: TwilioParams, channel: TwilioChannel): OptOutType | undefined {
  const reported = field(params, 'OptOutType')?.trim().toUpperCase();
  if (reported === 'STOP' || reported === 'START' || reported === 'HELP') return reported;
  if (channel !== 'sms') return undefined;
  const body = (field(params, 'Body') ?? '').trim().toUpperCase().replace(/[.!\s]+$/u, '');
  return Object.hasOwn(DEFAULT_KEYWORDS, body) ? DEFAULT_KEYWORDS[body] : undefined;
}

/** One form field as a string (the first value when repeated). */
export function field(params: TwilioParams, name: string): string | undefined {
  const v = params[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Media kind of a MIME type. WhatsApp voice notes arrive as `audio/ogg`, stickers as `image/webp`. */
export function mediaKindOf(contentType: string | undefined): MediaKind {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('audio/')) return 'voice';
  if (type === 'image/webp') return 'sticker';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('application/') || type.startsWith('text/')) return 'document';
  return 'other';
}

function locationOf(params: TwilioParams): GeoPoint | undefined {
  const latRaw = field(params, 'Latitude');
  const lonRaw = field(params, 'Longitude');
  if (latRaw === undefined || lonRaw === undefined || latRaw.trim() === '' || lonRaw.trim() === '') return undefined;
  const lat = Number(latRaw);
  const lon = Number(lonRaw);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  return { lat, lon };
}

/** Why a request carries no message to answer, for logs; `undefined` when it does. */
export function ignoreReason(params: TwilioParams, channel: TwilioChannel): string | undefined {
  if (field(params, 'MessageStatus') !== undefined) return 'status-callback';
  const smsStatus = field(params, 'SmsStatus');
  if (smsStatus !== undefined && smsStatus !== 'received') return 'status-callback';
  const from = field(params, 'From') ?? '';
  if (from === '' || !(field(params, 'MessageSid') ?? field(params, 'SmsMessageSid'))) return 'not-a-message';
  if (from.startsWith('whatsapp:') !== (channel === 'whatsapp')) return 'wrong-channel';
  return undefined;
}

/**
 * Parses a webhook form into what the engine needs, or `null` for requests that carry no user
 * message (status callbacks, a WhatsApp sender on the SMS URL, empty messages).
 */
export function parseTwilioMessage(params: TwilioParams, channel: TwilioChannel, receivedAt: number): TwilioInbound | null {
  if (ignoreReason(params, channel) !== undefined) return null;
  const from = field(params, 'From') as string;
  const deliveryId = (field(params, 'MessageSid') ?? field(params, 'SmsMessageSid')) as string;
  const message: InboundMessage = { channel, receivedAt };
  const body = field(params, 'Body')?.trim();
  if (body) message.text = body;
  const choiceId = field(params, 'ButtonPayload') || field(params, 'ListId');
  if (choiceId) message.choiceId = choiceId;
  const location = locationOf(params);
  if (location) message.location = location;
  const numMedia = Number(field(params, 'NumMedia') ?? '0');
  if (!location && Number.isInteger(numMedia) && numMedia > 0) message.media = mediaKindOf(field(params, 'MediaContentType0'));
  const inbound: TwilioInbound = { userId: from, deliveryId, message };
  const optOut = optOutOf(params, channel);
  if (optOut) {
    inbound.optOut = optOut;
    // Twilio also maps STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT ... to STOP: the engine gets the keyword.
    message.text = optOut;
  }
  if (!message.text && !message.choiceId && !message.location && !message.media) return null;
  return inbound;
}
