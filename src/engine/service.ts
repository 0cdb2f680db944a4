/**
 * The conversation service: what channel adapters call (as a `TurnHandler`). It keys the user,
 * drops retried deliveries, applies the per-user rate limit, runs the engine inside the store's
 * atomic read-modify-write, caps the choices of a reply and the SMS replies of a day, and turns
 * any failure into a short apology in the user's language.
 */
import type {
  ChannelId,
  ConversationKey,
  ConversationKeyer,
  ConversationState,
  ConversationStore,
  Lang,
  Logger,
  Reply,
  TurnHandler,
  TurnRequest,
  TurnResponse,
} from '../domain/index.js';
import { handleTurn, langOfHint } from './handle-turn.js';
import { alwaysServed, boundMessage, capChoices, isForgetMe, RATE_WINDOW_SECONDS, SMS_CAP_WINDOW_SECONDS, type TurnLimits } from './limits.js';
import type { EngineDeps, EngineTurnResult } from './types.js';

/** What `createConversationService` needs. */
export interface ConversationServiceOptions {
  store: ConversationStore;
  keyer: ConversationKeyer;
  /** The engine's dependencies; capabilities come with each request. */
  deps: Omit<EngineDeps, 'capabilities'>;
  logger: Logger;
  /** Per-user rate limit and SMS cap (absent: none; `main.ts` passes RATE_LIMIT_PER_MINUTE and SMS_DAILY_CAP). */
  limits?: TurnLimits;
  /** Monotonic clock in milliseconds, for the latency field of `turn.handled` (default `performance.now`). */
  clock?: () => number;
  /**
   * Called with a free-text question Dalil could not answer (out of scope) or answered with low
   * confidence, so editors can learn from it. Carries no user identifier; the receiver masks
   * numbers and e-mails before keeping anything. Must not throw.
   */
  onMissed?: (missed: MissedQuestion) => void;
}

/** A question Dalil missed, as handed to `onMissed`: no user identifier. */
export interface MissedQuestion {
  text: string;
  lang: Lang;
  intent: string;
  confidence?: number;
  topCandidates: ReadonlyArray<{ intent: string; confidence: number }>;
  at: number;
}

/** Below this confidence an answered question still counts as missed (editors review it). */
export const MISSED_CONFIDENCE = 0.5;

/** The name of an error for logs: its class name, never its message (which may quote user text). */
function errorName(err: unknown): string {
  return err instanceof Error ? err.name || 'Error' : typeof err;
}

const DEFAULT_MAX_CHARS = 1000;

/** Creates the `TurnHandler` channel adapters receive from `main.ts`. */
export function createConversationService(options: ConversationServiceOptions): TurnHandler {
  const { store, keyer, deps, logger } = options;
  const clock = options.clock ?? (() => performance.now());
  const ratePerMinute = options.limits?.ratePerMinute ?? 0;
  const smsDailyCap = options.limits?.smsDailyCap ?? 0;
  const maxChars = deps.maxMessageChars ?? DEFAULT_MAX_CHARS;

  const notice = (lang: Lang, key: string): Reply => ({ kind: 'notice', text: deps.t(lang, key), lang });

  /**
   * The SMS cost cap, applied to every SMS turn that would send something (the rate-limit notice
   * included): past the cap one notice, then silence until the day's window ends.
   */
  const capSms = async (key: ConversationKey, channel: ChannelId, lang: Lang, replies: Reply[]): Promise<{ replies: Reply[]; capped?: true }> => {
    if (smsDailyCap <= 0 || channel !== 'sms' || replies.length === 0) return { replies };
    const count = await store.hit(key, 'sms', SMS_CAP_WINDOW_SECONDS);
    if (count <= smsDailyCap) return { replies };
    const first = count === smsDailyCap + 1;
    logger.info('turn.sms_capped', { notice: first });
    return { replies: first ? [notice(lang, 'limits.smsCap')] : [], capped: true };
  };

  return async (request: TurnRequest): Promise<TurnResponse> => {
    const started = clock();
    const { capabilities } = request;
    // Long messages are cut for matching, never rejected.
    const message = boundMessage(request.message, maxChars);
    const channel = message.channel;
    // The raw user id is hashed at once and never logged or stored.
    const key = keyer.key(channel, request.userId);
    let lang: Lang = langOfHint(message.localeHint) ?? deps.defaultLang;
    let resumed = false;
    try {
      // A redelivered forget-me finds nothing to dedupe against (forget-me deletes the conversation's
      // delivery ids with everything else) and would be answered, and on SMS paid for, twice. It is
      // recognised by a marker keyed by the channel and delivery id alone: nothing in it leads back to the user.
      if (request.deliveryId !== undefined && isForgetMe(message)) {
        if (!(await store.markDelivery(keyer.key(channel, `\u0000forget-me\u0000${request.deliveryId}`), 'forget-me'))) {
          logger.info('turn.duplicate', { channel });
          return { replies: [], duplicate: true, lang };
        }
      }

      // The delivery id and the rate limit are checked in the same store round trip that takes the
      // conversation's lock; the rate limit comes before any matching: one polite notice, then
      // silence until the window ends.
      const limited = ratePerMinute > 0 && channel !== 'cli' && !alwaysServed(message);
      const gate = {
        ...(request.deliveryId !== undefined ? { deliveryId: request.deliveryId } : {}),
        ...(limited ? { rateWindowSeconds: RATE_WINDOW_SECONDS } : {}),
      };
      const out = await store.transact<GatedTurn>(
        key,
        (stored, found) => {
          resumed = false;
          if (stored?.lang) lang = stored.lang;
          if (found.duplicate) return { state: undefined, result: { kind: 'duplicate' } };
          if (limited && found.rateCount > ratePerMinute) {
            // After STOP a carrier channel gets nothing at all, not even the notice.
            const first = found.rateCount === ratePerMinute + 1 && !stored?.stopped;
            return { state: undefined, result: { kind: 'limited', notice: first } };
          }
          let state: ConversationState | undefined = stored;
          // A user who writes again on a non-carrier channel is reachable again (Telegram: unblocked
          // the bot); on SMS only START lifts a STOP, which the engine handles.
          if (state?.stopped && channel !== 'sms') {
            state = { ...state, stopped: undefined };
            resumed = true;
          }
          // After STOP on SMS the engine stays silent, but a forget-me must still erase everything
          // (silently: the carrier forbids sending anything until START).
          if (state?.stopped && channel === 'sms' && isForgetMe(message)) {
            const silent: EngineTurnResult = { replies: [], state: null, events: [], meta: { intent: 'cmd:delete', lang } };
            return { state: null, result: { kind: 'turn', turn: silent } };
          }
          const result = handleTurn(message, state, { ...deps, capabilities });
          return { state: result.state, result: { kind: 'turn', turn: result } };
        },
        gate,
      );
      if (out.kind === 'duplicate') {
        logger.info('turn.duplicate', { channel });
        return { replies: [], duplicate: true, lang };
      }
      if (out.kind === 'limited') {
        logger.info('turn.rate_limited', { channel, notice: out.notice });
        if (!out.notice) return { replies: [], duplicate: false, lang };
        const capped = await capSms(key, channel, lang, [notice(lang, 'limits.rateLimited')]);
        return { replies: capped.replies, duplicate: false, lang };
      }
      return await finishTurn(out.turn);
    } catch (err) {
      logger.error('engine.turn_failed', { channel, error: errorName(err), latencyMs: Math.round(clock() - started) });
      const apology: Reply = { kind: 'error', text: deps.t(lang, 'error.apology'), lang };
      return { replies: [apology], duplicate: false, lang };
    }

    async function finishTurn(out: EngineTurnResult): Promise<TurnResponse> {
      lang = out.meta.lang;
      for (const event of out.events) {
        logger.info(event.name, { channel, topic: event.topic, value: event.value });
      }
      if (resumed) logger.info('conversation.resumed', { channel });
      const asked = message.text?.trim();
      if (options.onMissed && asked && out.meta.candidates && (out.meta.intent === 'out-of-scope' || (out.meta.confidence ?? 1) < MISSED_CONFIDENCE)) {
        try {
          options.onMissed({
            text: asked.slice(0, maxChars),
            lang,
            intent: out.meta.intent,
            ...(out.meta.confidence !== undefined ? { confidence: out.meta.confidence } : {}),
            topCandidates: out.meta.candidates,
            at: message.receivedAt,
          });
        } catch (err) {
          logger.warn('missed.record_failed', { error: errorName(err) });
        }
      }

      const bounded = capChoices(out.replies);
      if (bounded.capped > 0) logger.warn('turn.choices_capped', { channel, replies: bounded.capped });
      let replies = bounded.replies;

      // SMS cost cap, per answered turn; a forget-me is never counted (no counter may stay behind).
      let smsCapped: true | undefined;
      if (out.state !== null) ({ replies, capped: smsCapped } = await capSms(key, channel, lang, replies));

      logger.info('turn.handled', {
        channel,
        intent: out.meta.intent,
        confidence: out.meta.confidence !== undefined ? Math.round(out.meta.confidence * 1000) / 1000 : undefined,
        lang,
        replies: replies.length,
        forgotten: out.state === null ? true : undefined,
        smsCapped,
        latencyMs: Math.round(clock() - started),
      });
      return { replies, duplicate: false, lang };
    }
  };
}

/** What the store transaction of a turn resolves to. */
type GatedTurn = { kind: 'duplicate' } | { kind: 'limited'; notice: boolean } | { kind: 'turn'; turn: EngineTurnResult };
