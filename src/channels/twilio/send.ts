/**
 * Sends WhatsApp messages through Twilio's REST API when TwiML cannot carry them (several
 * messages that must arrive in order, Content templates), and SMS replies of turns slower than the
 * webhook deadline. The sender is injected so tests capture what would leave;
 * `createTwilioRestSender` is the real one.
 * https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
 */
import http from 'node:http';
import https from 'node:https';
import type { Logger } from '../../domain/index.js';
import { classifyHttpStatus, type RetryOptions, type SendFailure, type SendReport, sendInOrder } from '../shared/send.js';
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

/** Sends one message; rejects with a `TwilioApiError` (or a network error). */
export type TwilioSender = (message: TwilioOutboundMessage) => Promise<void>;

/** Options of `createTwilioRestSender`. */
export interface TwilioRestOptions {
  /**
   * Sends the requests to this origin instead of https://api.twilio.com (a local fake for tests
   * and the soak; never set in production).
   */
  apiBaseUrl?: string;
  /** Longest wait for Twilio's answer (default 15000 ms). */
  timeoutMs?: number;
}

/** Twilio answered a message request with an error: its HTTP status and Twilio error code (never its message, which may quote the number). */
export class TwilioApiError extends Error {
  readonly status: number;
  readonly code: number | undefined;
  constructor(status: number, code: number | undefined) {
    super(`Twilio answered ${status}${code !== undefined ? ` (error ${code})` : ''}`);
    this.name = 'TwilioApiError';
    this.status = status;
    this.code = code;
  }
}

/** Twilio did not answer within the timeout. */
export class TwilioTimeoutError extends Error {
  constructor(ms: number) {
    super(`Twilio did not answer within ${ms} ms`);
    this.name = 'TwilioTimeoutError';
  }
}

/** Most of an error body read (Twilio's are a few hundred bytes). */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * The real sender: one POST to the Messages resource of the account, over a keep-alive connection.
 * It does not go through the Twilio SDK's REST client: that client (axios underneath) cost about
 * 9 % of the server's CPU on the WhatsApp webhook under load (bench/fixes.md), and a message needs
 * only this one documented request. The SDK still validates signatures and writes TwiML.
 */
export function createTwilioRestSender(settings: { accountSid: string; authToken: string }, options: TwilioRestOptions = {}): TwilioSender {
  const base = new URL(options.apiBaseUrl ?? 'https://api.twilio.com');
  const secure = base.protocol === 'https:';
  const transport = secure ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: 50 });
  const path = `${base.pathname.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  return (message) => {
    const form = new URLSearchParams({ To: message.to, From: message.from });
    if (message.body !== undefined) form.set('Body', message.body);
    if (message.contentSid !== undefined) form.set('ContentSid', message.contentSid);
    if (message.contentVariables !== undefined) form.set('ContentVariables', message.contentVariables);
    const body = form.toString();
    return new Promise<void>((resolve, reject) => {
      const req = transport.request(
        {
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port || (secure ? 443 : 80),
          path,
          method: 'POST',
          agent,
          headers: {
            authorization,
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'dalil',
          },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            res.resume();
            res.on('end', () => resolve());
            res.on('error', reject);
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size <= MAX_ERROR_BODY) chunks.push(c);
          });
          res.on('error', reject);
          res.on('end', () => {
            let code: number | undefined;
            try {
              const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: unknown };
              if (typeof parsed.code === 'number') code = parsed.code;
            } catch {
              // not JSON: the status alone classifies it
            }
            reject(new TwilioApiError(status, code));
          });
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new TwilioTimeoutError(timeoutMs)));
      req.on('error', reject);
      req.end(body);
    });
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

/**
 * Sends `messages` to `to` in order (see `sendInOrder`); SMS bodies are `text` messages. Never
 * throws; logs no number, SID or text.
 */
export function sendTwilioMessages(
  sender: TwilioSender,
  route: { to: string; from: string },
  messages: readonly WhatsappOutgoing[],
  deps: { logger: Logger; retry?: RetryOptions; channel: 'whatsapp' | 'sms' },
): Promise<SendReport> {
  const outbound = (m: WhatsappOutgoing): TwilioOutboundMessage =>
    m.kind === 'text' ? { ...route, body: m.body } : { ...route, contentSid: m.contentSid, contentVariables: JSON.stringify(m.variables) };
  return sendInOrder(messages, (m) => sender(outbound(m)), classifyTwilioError, deps);
}
