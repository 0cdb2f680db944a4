/**
 * Twilio webhooks: POST /webhooks/twilio/whatsapp and POST /webhooks/twilio/sms, form-encoded,
 * verified by `X-Twilio-Signature` (403 otherwise). Replies go back as TwiML in the response, or
 * through the REST API when WhatsApp needs several ordered messages or a Content template.
 *
 * Twilio waits 15 s for a webhook. A turn still running after `webhookDeadlineMs` gets Twilio an
 * empty TwiML answer at once; its reply then goes out through the REST API when it is ready.
 */
import express, { type Response, type Router } from 'express';
import { ConfigError, type Lang, type Logger, type TurnHandler } from '../../domain/index.js';
import { CAPABILITIES, smsCapabilities } from '../shared/capabilities.js';
import type { RetryOptions } from '../shared/send.js';
import { createSmsPaginator } from '../shared/sms.js';
import { untracked, type TaskTracker } from '../shared/tasks.js';
import { runTurn } from '../shared/turn.js';
import { ignoreReason, parseTwilioMessage, type TwilioChannel, type TwilioParams } from './parse.js';
import { renderSms, renderWhatsapp, twimlResponse } from './render.js';
import { createTwilioRestSender, sendTwilioMessages, type TwilioSendReport, type TwilioSender } from './send.js';
import { verifyTwilioSignature } from './signature.js';

export const WHATSAPP_WEBHOOK_PATH = '/webhooks/twilio/whatsapp';
export const SMS_WEBHOOK_PATH = '/webhooks/twilio/sms';

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
  /** WEBHOOK_DEADLINE_MS: longest a webhook waits for its turn before answering Twilio empty (default 5000). */
  webhookDeadlineMs?: number;
}

/** Default of `webhookDeadlineMs`: well inside Twilio's 15-second webhook timeout. */
export const DEFAULT_TWILIO_DEADLINE_MS = 5000;

/** What the Twilio channels are given. */
export interface TwilioDeps {
  handleTurn: TurnHandler;
  logger: Logger;
  /** REST sender (default: Twilio's client with the account's credentials). */
  sender?: TwilioSender;
  now?: () => number;
  retry?: RetryOptions;
  /** Marks the sender's conversation stopped when Twilio says the recipient opted out or is unreachable. */
  markStopped?: (userId: string) => Promise<void>;
  /** Counts each message's work in flight, for a graceful shutdown (default: not counted). */
  tasks?: TaskTracker;
}

/** A Twilio channel's express mount. */
export interface TwilioChannelMount {
  mount: { name: string; path: string; router: Router };
}

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

/** Follows a REST send: a recipient who opted out or cannot receive gets the conversation marked stopped. */
async function afterSend(report: TwilioSendReport, userId: string, deps: TwilioDeps, channel: TwilioChannel): Promise<void> {
  if (report.failure?.kind !== 'user-blocked') return;
  deps.logger.info(`channel.${channel}.user_blocked`, { code: report.failure.code });
  await deps.markStopped?.(userId);
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
const OPT_OUT_EVENTS = { STOP: 'channel.sms.opt_out', START: 'channel.sms.opt_in', HELP: 'channel.sms.help' } as const;

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
  const templates = {
    quickReplyContentSid: settings.quickReplyContentSid,
    listPickerContentSid: settings.listPickerContentSid,
    ...(settings.quickReplyButtons !== undefined ? { quickReplyButtons: settings.quickReplyButtons } : {}),
    ...(settings.listPickerItems !== undefined ? { listPickerItems: settings.listPickerItems } : {}),
  };
  const router = express.Router();
  router.post(
    '/',
    express.urlencoded({ extended: false, limit: settings.maxBodySize }),
    verifyTwilioSignature(settings, { logger, channel: 'whatsapp' }),
    async (req, res) => {
      const inbound = parseOr200(req.body as TwilioParams, 'whatsapp', (deps.now ?? Date.now)(), logger, res);
      if (!inbound) return;
      await answerWithin(res, { deadlineMs, logger, channel: 'whatsapp', tasks }, async (answer) => {
        const turn = await runTurn(
          deps.handleTurn,
          { userId: inbound.userId, deliveryId: inbound.deliveryId, message: inbound.message, capabilities: caps },
          { channel: 'whatsapp', logger, defaultLang: settings.defaultLang, apologise: true },
        );
        const outgoing = turn.duplicate ? [] : renderWhatsapp(turn.replies, caps, templates);
        const [only] = outgoing;
        if (outgoing.length === 1 && only?.kind === 'text' && answer([only.body])) return;
        if (outgoing.length > 0) {
          const report = await sendTwilioMessages(sender, { to: inbound.userId, from }, outgoing, { logger, channel: 'whatsapp', ...retry });
          await afterSend(report, inbound.userId, deps, 'whatsapp');
        }
        answer([]);
      });
    },
  );
  return { mount: { name: 'whatsapp', path: WHATSAPP_WEBHOOK_PATH, router } };
}

/**
 * The SMS channel: plain text within the segment budget, paging behind MORE through
 * `TurnRequest.paginate`, carrier keywords passed to the engine (which keeps `stopped`). When
 * Twilio's Advanced Opt-Out already confirmed a STOP, Dalil adds nothing. Throws `ConfigError`
 * without an auth token or public URL.
 */
export function createSmsChannel(settings: TwilioSettings, deps: TwilioDeps): TwilioChannelMount {
  requireVerifiable(settings, 'SMS');
  const { logger } = deps;
  const caps = smsCapabilities(settings.smsSegmentBudget);
  const paginate = createSmsPaginator(caps);
  const tasks = deps.tasks ?? untracked;
  const deadlineMs = settings.webhookDeadlineMs ?? DEFAULT_TWILIO_DEADLINE_MS;
  const retry = deps.retry ? { retry: deps.retry } : {};
  // Only a turn slower than the deadline needs the REST API: the client is made on first use.
  let restSender: TwilioSender | undefined;
  const sender = (): TwilioSender => deps.sender ?? (restSender ??= createTwilioRestSender(settings));
  const router = express.Router();
  router.post(
    '/',
    express.urlencoded({ extended: false, limit: settings.maxBodySize }),
    verifyTwilioSignature(settings, { logger, channel: 'sms' }),
    async (req, res) => {
      const inbound = parseOr200(req.body as TwilioParams, 'sms', (deps.now ?? Date.now)(), logger, res);
      if (!inbound) return;
      await answerWithin(res, { deadlineMs, logger, channel: 'sms', tasks }, async (answer) => {
        const turn = await runTurn(
          deps.handleTurn,
          { userId: inbound.userId, deliveryId: inbound.deliveryId, message: inbound.message, capabilities: caps, paginate },
          { channel: 'sms', logger, defaultLang: settings.defaultLang, apologise: false },
        );
        if (inbound.optOut) logger.info(OPT_OUT_EVENTS[inbound.optOut]);
        const silent = turn.duplicate || inbound.optOut === 'STOP';
        const bodies = silent ? [] : renderSms(turn.replies, caps);
        if (answer(bodies) || bodies.length === 0) return;
        // Too late for TwiML: the same bodies through the REST API, from the SMS number.
        const report = await sendTwilioMessages(
          sender(),
          { to: inbound.userId, from: settings.smsFrom },
          bodies.map((body) => ({ kind: 'text' as const, body })),
          { logger, channel: 'sms', ...retry },
        );
        await afterSend(report, inbound.userId, deps, 'sms');
      });
    },
  );
  return { mount: { name: 'sms', path: SMS_WEBHOOK_PATH, router } };
}
