/**
 * Which channels the credentials switch on. Kept apart from the channel modules, which load their
 * platform SDKs (grammY, the Twilio SDK, botbuilder: together ~35 MB of RSS and ~0.35 s of startup),
 * so that `main.ts` imports a channel only when it is switched on, and then only at its first request:
 * where each webhook is mounted is known here, before its SDK is loaded.
 */

/** Where the Telegram webhook is mounted. */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
/** Where Twilio's WhatsApp webhook is mounted. */
export const WHATSAPP_WEBHOOK_PATH = '/webhooks/twilio/whatsapp';
/** Where Twilio's SMS webhook is mounted. */
export const SMS_WEBHOOK_PATH = '/webhooks/twilio/sms';
/** Where the Bot Framework's messaging endpoint is mounted. */
export const BOTFRAMEWORK_PATH = '/api/messages';

/** Telegram is on when a bot token is set. */
export function telegramConfigured(settings: { botToken: string }): boolean {
  return settings.botToken !== '';
}

/** WhatsApp is on when the account SID, auth token and WhatsApp sender are set. */
export function whatsappConfigured(s: { accountSid: string; authToken: string; whatsappFrom: string }): boolean {
  return s.accountSid !== '' && s.authToken !== '' && s.whatsappFrom !== '';
}

/** SMS is on when the account SID, auth token and SMS number are set. */
export function smsConfigured(s: { accountSid: string; authToken: string; smsFrom: string }): boolean {
  return s.accountSid !== '' && s.authToken !== '' && s.smsFrom !== '';
}

/** The Bot Framework is on with an app id, or anonymously (Emulator) outside production. */
export function botFrameworkConfigured(s: { appId: string }, env: 'development' | 'production' | 'test'): boolean {
  return s.appId !== '' || env !== 'production';
}
