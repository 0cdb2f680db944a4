/**
 * A case worker's reply to a WhatsApp or SMS user outside a turn, through Twilio's REST API.
 * WhatsApp: free text only within 24 hours of the user's last message; after that only the
 * approved template that asks the user to write back (never free text), or nothing when none is
 * configured. SMS: plain GSM-7-safe text in pages of the segment budget, never to a user who sent
 * STOP, counted against the user's daily cap and the global segment budget like any reply.
 * https://www.twilio.com/docs/whatsapp/tutorial/send-whatsapp-notification-messages-templates
 */
import { gsmFold, smsSegments, type CaseAddress, type CaseReacher, type ChannelId, type Logger, type ReachResult } from '../../domain/index.js';
import { CAPABILITIES } from '../shared/capabilities.js';
import { sendInOrder, type RetryOptions, type SendReport } from '../shared/send.js';
import { smsSafe } from '../shared/sms.js';
import { splitText } from '../shared/split.js';
import { renderWhatsapp } from './render.js';
import { classifyTwilioError, type TwilioOutboundMessage, type TwilioSender } from './send.js';

/** WhatsApp's customer service window: free text is allowed this long after the user's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 3_600_000;
/** Twilio's error for free text outside the window. */
const OUTSIDE_WINDOW_CODE = 63016;

/** What both Twilio reachers need. */
export interface TwilioReacherDeps {
  sender: TwilioSender;
  logger: Logger;
  retry?: RetryOptions;
  now?: () => number;
  /** Marks the user's conversation stopped (opted out, unreachable). */
  markStopped?: (userId: string) => Promise<void>;
}

/** A send's report as a reach result; an opted-out or unreachable user is marked stopped. */
async function resultOf(report: SendReport, via: 'text' | 'template', address: CaseAddress, deps: TwilioReacherDeps): Promise<ReachResult> {
  if (!report.failure) return { ok: true, via };
  if (report.failure.kind === 'user-blocked') {
    await deps.markStopped?.(address.userId);
    return { ok: false, reason: 'blocked' };
  }
  return { ok: false, reason: report.failure.code === OUTSIDE_WINDOW_CODE ? 'window-closed' : 'failed' };
}

function send(messages: TwilioOutboundMessage[], channel: 'whatsapp' | 'sms', deps: TwilioReacherDeps): Promise<SendReport> {
  return sendInOrder(messages, (m) => deps.sender(m), classifyTwilioError, { logger: deps.logger, channel, ...(deps.retry ? { retry: deps.retry } : {}) });
}

/** The WhatsApp reacher; `templateSid` is TWILIO_WHATSAPP_CASE_TEMPLATE_SID ('' : none). */
export function createWhatsappReacher(settings: { from: string; templateSid: string }, deps: TwilioReacherDeps): CaseReacher {
  const from = settings.from.startsWith('whatsapp:') ? settings.from : `whatsapp:${settings.from}`;
  return {
    channel: 'whatsapp',
    async reach(address, text, lang, lastUserAt) {
      const to = address.userId.startsWith('whatsapp:') ? address.userId : `whatsapp:${address.userId}`;
      const now = (deps.now ?? Date.now)();
      if (lastUserAt !== undefined && now - lastUserAt < WHATSAPP_WINDOW_MS) {
        const bodies = renderWhatsapp([{ kind: 'notice', text, lang }], CAPABILITIES.whatsapp).flatMap((m) => (m.kind === 'text' ? [m.body] : []));
        return resultOf(await send(bodies.map((body) => ({ to, from, body })), 'whatsapp', deps), 'text', address, deps);
      }
      // Outside the window only an approved template may go: it asks the user to write back.
      if (!settings.templateSid) return { ok: false, reason: 'window-closed' };
      return resultOf(await send([{ to, from, contentSid: settings.templateSid }], 'whatsapp', deps), 'template', address, deps);
    },
  };
}

/** Whether an SMS may go to a user now: not after STOP, within the daily cap and the global budget (spent when allowed). */
export type SmsAllowance = (channel: ChannelId, userId: string, segments: number) => Promise<'ok' | 'stopped' | 'over-budget'>;

/**
 * The SMS reacher: pages of at most `segmentBudget` segments each, checked against `allow` first.
 * Without `allow` it reaches no one: a STOP, the cap and the budget could not be honoured.
 */
export function createSmsReacher(settings: { from: string; segmentBudget: number }, deps: TwilioReacherDeps & { allow?: SmsAllowance }): CaseReacher {
  const budget = Math.max(1, settings.segmentBudget);
  return {
    channel: 'sms',
    async reach(address, text) {
      if (!deps.allow) return { ok: false, reason: 'no-channel' };
      const body = gsmFold(smsSafe(text));
      if (!body) return { ok: false, reason: 'failed' };
      const pages = splitText(body, budget, 'segments');
      const segments = pages.reduce((n, p) => n + smsSegments(p), 0);
      const allowed = await deps.allow('sms', address.userId, segments);
      if (allowed !== 'ok') return { ok: false, reason: allowed };
      const messages = pages.map((page) => ({ to: address.userId, from: settings.from, body: page }));
      return resultOf(await send(messages, 'sms', deps), 'text', address, deps);
    },
  };
}
