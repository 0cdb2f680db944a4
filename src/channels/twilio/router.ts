/**
 * Twilio webhooks: POST /webhooks/twilio/whatsapp and POST /webhooks/twilio/sms, form-encoded,
 * verified by `X-Twilio-Signature` (403 otherwise). Replies go back as TwiML in the response, or
 * through the REST API when WhatsApp needs several ordered messages or a Content template.
 *
 * Twilio waits 15 s for a webhook. A turn still running after `webhookDeadlineMs` gets Twilio an
 * empty TwiML answer at once; its reply then goes out through the REST API when it is ready.
 */
import express, { type Response, type Router } from 'express';
import { ConfigError, untracked, type CaseReacher, type ChannelAdapter, type Lang, type Reply, type Logger, type TaskTracker, type Translate, type TurnHandler } from '../../domain/index.js';
import { CAPABILITIES, smsCapabilities } from '../shared/capabilities.js';
import { deliver, NOTHING_SENT, type PipelineDeps } from '../shared/pipeline.js';
import type { RetryOptions, SendReport } from '../shared/send.js';
import { createSmsFitter } from '../shared/sms.js';
import { ignoreReason, parseTwilioMessage, type TwilioChannel, type TwilioInbound, type TwilioParams } from './parse.js';
import { renderSms, renderWhatsapp, twimlResponse, type WhatsappOutgoing, type WhatsappTemplates } from './render.js';
import { createSmsReacher, createWhatsappReacher, type SmsAllowance } from './reacher.js';
import { createTwilioRestSender, sendTwilioMessages, type TwilioSender } from './send.js';
import { verifyTwilioSignature } from './signature.js';

import { SMS_WEBHOOK_PATH, WHATSAPP_WEBHOOK_PATH } from '../configured.js';

export { SMS_WEBHOOK_PATH, WHATSAPP_WEBHOOK_PATH };

/** Settings of the Twilio channels (from `Config.twilio` and the server settings). */
export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** TWILIO_WHATSAPP_FROM, e.g. `whatsapp:+14155238886` (the prefix is added when missing). */
  whatsappFrom: string;
  smsFrom: string;
  quickReplyContentSid: string;
  listPickerContentSid: string;
  /** Buttons of the quick-reply template (default 3) and items of the list-picker one (default 10). */
  quickReplyButtons?: number;
  listPickerItems?: number;
  /** PUBLIC_BASE_URL: the origin Twilio calls, which the signature covers. */
  publicBaseUrl: string;
  maxBodySize: string;
  /** SMS_SEGMENT_BUDGET. */
  smsSegmentBudget: number;
  defaultLang: Lang;
  /**
   * TWILIO_KEYWORD_REPLIES: who answers STOP, START and HELP. `twilio` (default): Twilio's
   * Advanced Opt-Out answers them and Dalil only records the stop or start; `dalil`: Dalil
   * answers START and HELP itself (STOP is never answered).
   */
  keywordReplies?: 'twilio' | 'dalil';
  /** WEBHOOK_DEADLINE_MS: longest a webhook waits for its turn before answering Twilio empty (default 5000). */
  webhookDeadlineMs?: number;
  /** TWILIO_WHATSAPP_CASE_TEMPLATE_SID: the template that asks a WhatsApp user to write back outside the 24-hour window ('' or absent: none). */
  caseTemplateSid?: string;
}

/** Default of `webhookDeadlineMs`: well inside Twilio's 15-second webhook timeout. */
export const DEFAULT_TWILIO_DEADLINE_MS = 5000;

/** What the Twilio channels are given. */
export interface TwilioDeps {
  handleTurn: TurnHandler;
  logger: Logger;
  /** Interface strings (the MORE hint of SMS pages, the WhatsApp list button). */
  t: Translate;
  /** REST sender (default: Twilio's client with the account's credentials). */
  sender?: TwilioSender;
  now?: () => number;
  retry?: RetryOptions;
  /** Marks the sender's conversation stopped when Twilio says the recipient opted out or is unreachable. */
  markStopped?: (userId: string) => Promise<void>;
  /** Told how each turn's sends went (metrics). */
  onDelivered?: PipelineDeps['onDelivered'];
  /** Counts each message's work in flight, for a graceful shutdown (default: not counted). */
  tasks?: TaskTracker;
  /**
   * Whether a case worker's SMS may go to a user (not after STOP, within the daily cap and the
   * segment budget). Absent: the SMS channel reaches no one outside a turn.
   */
  smsAllowance?: SmsAllowance;
}

/** A Twilio channel: WhatsApp or SMS, and how a case worker's reply reaches its users outside a turn. */
export type TwilioChannelMount = ChannelAdapter<Router> & { reacher: CaseReacher };

export { whatsappConfigured, smsConfigured } from '../configured.js';

function requireVerifiable(settings: TwilioSettings, name: string): void {
  if (!settings.authToken) throw new ConfigError(`TWILIO_AUTH_TOKEN is required for the ${name} channel`);
  if (!settings.publicBaseUrl) {
    throw new ConfigError(`PUBLIC_BASE_URL is required for the ${name} channel: Twilio signs the public URL it calls`);
  }
}

function sendTwiml(res: Response, bodies: readonly string[]): void {
  res.status(200).type('text/xml').send(twimlResponse(bodies));
}

/**
 * Runs `job` and makes sure Twilio gets an answer within `deadlineMs`: `answer(bodies)` sends the
 * TwiML and returns true, or returns false when the deadline already answered (the job must then
 * send its reply through the REST API). The job's work is counted by `tasks` until it ends.
 */
async function answerWithin(
  res: Response,
  opts: { deadlineMs: number; logger: Logger; channel: TwilioChannel; tasks: TaskTracker },
  job: (answer: (bodies: readonly string[]) => boolean) => Promise<void>,
): Promise<void> {
  let answered = false;
  const answer = (bodies: readonly string[]): boolean => {
    if (answered || res.headersSent) return false;
    answered = true;
    sendTwiml(res, bodies);
    return true;
  };
  const timer = setTimeout(() => {
    if (answer([])) opts.logger.warn(`channel.${opts.channel}.slow_turn`, { deadlineMs: opts.deadlineMs });
  }, opts.deadlineMs);
  try {
    await opts.tasks.run(() => job(answer));
  } finally {
    clearTimeout(timer);
    answer([]);
  }
}

/** Parses, ignores with an empty TwiML and a log line what is not a message. */
function parseOr200(params: TwilioParams, channel: TwilioChannel, now: number, logger: Logger, res: Response) {
  const inbound = parseTwilioMessage(params, channel, now);
  if (!inbound) {
    logger.debug(`channel.${channel}.update_ignored`, { reason: ignoreReason(params, channel) ?? 'empty' });
    sendTwiml(res, []);
  }
  return inbound;
}

/** Log events of the carrier keywords (the event says which; no field holds message text). */
const OPT_OUT_EVENTS = { STOP: 'opt_out', START: 'opt_in', HELP: 'help' } as const;

/**
 * Whether Dalil stays silent on a carrier keyword: always after STOP (the carrier confirms it
 * and forbids anything more); on START and HELP when Twilio answers them (the default).
 */
function keywordSilent(inbound: TwilioInbound, settings: TwilioSettings): boolean {
  if (!inbound.optOut) return false;
  return inbound.optOut === 'STOP' || (settings.keywordReplies ?? 'twilio') === 'twilio';
}

/** What the pipeline needs from a Twilio channel's deps. */
function pipelineDeps(deps: TwilioDeps, defaultLang: Lang): PipelineDeps {
  return {
    handleTurn: deps.handleTurn,
    logger: deps.logger,
    defaultLang,
    ...(deps.markStopped ? { markStopped: deps.markStopped } : {}),
    ...(deps.onDelivered ? { onDelivered: deps.onDelivered } : {}),
  };
}

/** The Content templates configured for WhatsApp. */
function templatesOf(settings: TwilioSettings): WhatsappTemplates {
  return {
    quickReplyContentSid: settings.quickReplyContentSid,
    listPickerContentSid: settings.listPickerContentSid,
    ...(settings.quickReplyButtons !== undefined ? { quickReplyButtons: settings.quickReplyButtons } : {}),
    ...(settings.listPickerItems !== undefined ? { listPickerItems: settings.listPickerItems } : {}),
  };
}

/** The SMS reacher of the channel; without an allowance it reaches no one (a STOP could not be honoured). */
function smsReacher(settings: TwilioSettings, deps: TwilioDeps, sender: () => TwilioSender): CaseReacher {
  const retry = deps.retry ? { retry: deps.retry } : {};
  const reacherDeps = { sender: (m: Parameters<TwilioSender>[0]) => sender()(m), logger: deps.logger, ...(deps.smsAllowance ? { allow: deps.smsAllowance } : {}), ...retry, ...(deps.markStopped ? { markStopped: deps.markStopped } : {}) };
  return createSmsReacher({ from: settings.smsFrom, segmentBudget: settings.smsSegmentBudget }, reacherDeps);
}

/** The WhatsApp channel. Throws `ConfigError` without an auth token or public URL. */
export function createWhatsappChannel(settings: TwilioSettings, deps: TwilioDeps): TwilioChannelMount {
  requireVerifiable(settings, 'WhatsApp');
  if (!deps.sender && !(settings.accountSid && settings.whatsappFrom)) {
    throw new ConfigError('TWILIO_ACCOUNT_SID and TWILIO_WHATSAPP_FROM are required for the WhatsApp channel');
  }
  const { logger } = deps;
  const sender = deps.sender ?? createTwilioRestSender(settings);
  const tasks = deps.tasks ?? untracked;
  const deadlineMs = settings.webhookDeadlineMs ?? DEFAULT_TWILIO_DEADLINE_MS;
  const retry = deps.retry ? { retry: deps.retry } : {};
  const from = settings.whatsappFrom.startsWith('whatsapp:') ? settings.whatsappFrom : `whatsapp:${settings.whatsappFrom}`;
  const caps = CAPABILITIES.whatsapp;
  const templates = templatesOf(settings);
  const channel = { id: 'whatsapp', capabilities: caps } as const;
  const pipeline = pipelineDeps(deps, settings.defaultLang);
  /** One plain message goes back as TwiML; several, or a template, through the REST API in order. */
  const send = async (inbound: TwilioInbound, outgoing: WhatsappOutgoing[], answer: (bodies: readonly string[]) => boolean): Promise<SendReport> => {
    const [only] = outgoing;
    if (outgoing.length === 1 && only?.kind === 'text' && answer([only.body])) return { sent: 1 };
    if (outgoing.length === 0) return NOTHING_SENT;
    return sendTwilioMessages(sender, { to: inbound.userId, from }, outgoing, { logger, channel: 'whatsapp', ...retry });
  };
  const router = express.Router();
  router.post(
    '/',
    express.urlencoded({ extended: false, limit: settings.maxBodySize }),
    verifyTwilioSignature(settings, { logger, channel: 'whatsapp' }),
    async (req, res) => {
      const inbound = parseOr200(req.body as TwilioParams, 'whatsapp', (deps.now ?? Date.now)(), logger, res);
      if (!inbound) return;
      const silent = keywordSilent(inbound, settings);
      if (inbound.optOut) logger.info(`channel.whatsapp.${OPT_OUT_EVENTS[inbound.optOut]}`);
      // WhatsApp has no carrier STOP in the engine: Twilio's opt-out is recorded here, and nothing runs.
      if (inbound.optOut === 'STOP' || (inbound.optOut === 'HELP' && silent)) {
        if (inbound.optOut === 'STOP') await deps.markStopped?.(inbound.userId);
        sendTwiml(res, []);
        return;
      }
      await answerWithin(res, { deadlineMs, logger, channel: 'whatsapp', tasks }, async (answer) => {
        const io = {
          render: (replies: readonly Reply[], lang: Lang) => (silent ? [] : renderWhatsapp(replies, caps, templates, deps.t(lang, 'list.button'))),
          send: (outgoing: WhatsappOutgoing[]) => send(inbound, outgoing, answer),
        };
        await deliver(channel, inbound, io, pipeline);
      });
    },
  );
  const reacherDeps = { sender, logger, ...retry, ...(deps.now ? { now: deps.now } : {}), ...(deps.markStopped ? { markStopped: deps.markStopped } : {}) };
  const reacher = createWhatsappReacher({ from, templateSid: settings.caseTemplateSid ?? '' }, reacherDeps);
  return { ...channel, mount: { name: 'whatsapp', path: WHATSAPP_WEBHOOK_PATH, router }, reacher };
}

/**
 * The SMS channel: plain text within the segment budget, fitted (and paged behind MORE) by the
 * SMS fitter inside the turn, carrier keywords passed to the engine (which keeps `stopped`).
 * What Twilio's Advanced Opt-Out answers (STOP always; START and HELP unless
 * `keywordReplies` is `dalil`), Dalil does not answer again. Throws
 * `ConfigError` without an auth token or public URL.
 */
export function createSmsChannel(settings: TwilioSettings, deps: TwilioDeps): TwilioChannelMount {
  requireVerifiable(settings, 'SMS');
  const { logger } = deps;
  const caps = smsCapabilities(settings.smsSegmentBudget);
  const tasks = deps.tasks ?? untracked;
  const deadlineMs = settings.webhookDeadlineMs ?? DEFAULT_TWILIO_DEADLINE_MS;
  const retry = deps.retry ? { retry: deps.retry } : {};
  // Only a turn slower than the deadline needs the REST API: the client is made on first use.
  let restSender: TwilioSender | undefined;
  const sender = (): TwilioSender => deps.sender ?? (restSender ??= createTwilioRestSender(settings));
  const channel = { id: 'sms', capabilities: caps, fit: createSmsFitter(caps, deps.t) } as const;
  const pipeline = pipelineDeps(deps, settings.defaultLang);
  /** TwiML while the webhook waits; too late for it, the same bodies through the REST API, from the SMS number. */
  const send = async (inbound: TwilioInbound, bodies: string[], answer: (bodies: readonly string[]) => boolean): Promise<SendReport> => {
    if (answer(bodies) || bodies.length === 0) return { sent: bodies.length };
    const texts = bodies.map((body) => ({ kind: 'text' as const, body }));
    return sendTwilioMessages(sender(), { to: inbound.userId, from: settings.smsFrom }, texts, { logger, channel: 'sms', ...retry });
  };
  const router = express.Router();
  router.post(
    '/',
    express.urlencoded({ extended: false, limit: settings.maxBodySize }),
    verifyTwilioSignature(settings, { logger, channel: 'sms' }),
    async (req, res) => {
      const inbound = parseOr200(req.body as TwilioParams, 'sms', (deps.now ?? Date.now)(), logger, res);
      if (!inbound) return;
      const silent = keywordSilent(inbound, settings);
      if (inbound.optOut) logger.info(`channel.sms.${OPT_OUT_EVENTS[inbound.optOut]}`);
      // Twilio answered HELP: nothing to record, nothing to add.
      if (inbound.optOut === 'HELP' && silent) {
        sendTwiml(res, []);
        return;
      }
      await answerWithin(res, { deadlineMs, logger, channel: 'sms', tasks }, async (answer) => {
        const io = {
          // STOP and START still run the turn (the engine records them); what Twilio answered is not answered again.
          render: (replies: readonly Reply[]) => (silent ? [] : renderSms(replies, caps)),
          send: (bodies: string[]) => send(inbound, bodies, answer),
        };
        await deliver(channel, inbound, io, pipeline);
      });
    },
  );
  return { ...channel, mount: { name: 'sms', path: SMS_WEBHOOK_PATH, router }, reacher: smsReacher(settings, deps, sender) };
}
