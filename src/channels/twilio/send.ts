/**
 * Sends WhatsApp messages through Twilio's REST API when TwiML cannot carry them (several
 * messages that must arrive in order, Content templates). The sender is injected so tests
 * capture what would leave; `createTwilioRestSender` is the real one.
 * https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
 */
import twilio from 'twilio';
import type { Logger } from '../../domain/index.js';
import { classifyHttpStatus, sendWithRetry, SendError, type RetryOptions, type SendFailure } from '../shared/send.js';
import type { WhatsappOutgoing } from './render.js';

/** One REST message (`messages.create` parameters). */
export interface TwilioOutboundMessage {
  to: string;
  from: string;
  body?: string;
  contentSid?: string;
  /** JSON object of template variables, as a string. */
  contentVariables?: string;
}

/** Sends one message; rejects with the SDK's error. */
export type TwilioSender = (message: TwilioOutboundMessage) => Promise<void>;

/** Options of `createTwilioRestSender`. */
export interface TwilioRestOptions {
  /**
   * Sends the SDK's requests to this origin instead of https://*.twilio.com (a local fake for
   * tests and the soak; never set in production).
   */
  apiBaseUrl?: string;
}

/** The real sender: Twilio's REST client with the account's credentials. */
export function createTwilioRestSender(settings: { accountSid: string; authToken: string }, options: TwilioRestOptions = {}): TwilioSender {
  const base = options.apiBaseUrl?.replace(/\/+$/, '');
  let httpClient: twilio.RequestClient | undefined;
  if (base) {
    const real = new twilio.RequestClient();
    httpClient = Object.assign(Object.create(real) as twilio.RequestClient, {
      request: (opts: Parameters<twilio.RequestClient['request']>[0]) =>
        real.request({ ...opts, uri: opts.uri.replace(/^https:\/\/[^/]+\.twilio\.com/, base) }),
    });
  }
  const client = twilio(settings.accountSid, settings.authToken, httpClient ? { httpClient } : {});
  return async (message) => {
    await client.messages.create(message);
  };
}

/** Twilio error codes that mean the recipient cannot or will not receive (opted out, blocked, unreachable). */
const USER_BLOCKED_CODES = new Set([21610, 63024, 63032, 21614]);

/**
 * Sorts a REST failure: 429, 5xx and network errors retryable; an opted-out or unreachable
 * recipient user-blocked; anything else (bad credentials, outside the 24-hour window 63016,
 * bad template) fatal.
 */
export function classifyTwilioError(error: unknown): SendFailure {
  const e = error as { status?: unknown; code?: unknown };
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const code = typeof e?.code === 'number' ? e.code : undefined;
  if (code !== undefined && USER_BLOCKED_CODES.has(code)) return { kind: 'user-blocked', ...(status !== undefined ? { status } : {}), code };
  const kind = status === undefined && !(error instanceof Error) ? 'fatal' : classifyHttpStatus(status);
  return { kind: kind === 'user-blocked' ? 'fatal' : kind, ...(status !== undefined ? { status } : {}), ...(code !== undefined ? { code } : {}) };
}

/** How a batch of sends ended. */
export interface TwilioSendReport {
  sent: number;
  failure?: SendFailure;
}

/**
 * Sends `messages` to `to` one after the other, so they arrive in order; stops at the first
 * failure that survives the retries. Never throws; logs no number, SID or text.
 */
export async function sendWhatsappMessages(
  sender: TwilioSender,
  route: { to: string; from: string },
  messages: readonly WhatsappOutgoing[],
  deps: { logger: Logger; retry?: RetryOptions },
): Promise<TwilioSendReport> {
  return sendTwilioMessages(sender, route, messages, { ...deps, channel: 'whatsapp' });
}

/**
 * `sendWhatsappMessages` for either Twilio channel (SMS bodies are `text` messages); failures are
 * logged as `channel.<channel>.send_failed`: retryable ones after the retries, others at once.
 */
export async function sendTwilioMessages(
  sender: TwilioSender,
  route: { to: string; from: string },
  messages: readonly WhatsappOutgoing[],
  deps: { logger: Logger; retry?: RetryOptions; channel: 'whatsapp' | 'sms' },
): Promise<TwilioSendReport> {
  let sent = 0;
  for (const m of messages) {
    const outbound: TwilioOutboundMessage =
      m.kind === 'text' ? { ...route, body: m.body } : { ...route, contentSid: m.contentSid, contentVariables: JSON.stringify(m.variables) };
    try {
      await sendWithRetry(() => sender(outbound), classifyTwilioError, deps.retry);
      sent += 1;
    } catch (error) {
      const failure = error instanceof SendError ? error.failure : classifyTwilioError(error);
      const level = failure.kind === 'user-blocked' ? 'info' : 'error';
      deps.logger[level](`channel.${deps.channel}.send_failed`, { kind: failure.kind, status: failure.status, code: failure.code, sent, pending: messages.length - sent });
      return { sent, failure };
    }
  }
  return { sent };
}
