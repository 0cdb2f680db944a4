/**
 * The conversation service: what channel adapters call (as a `TurnHandler`). It keys the user,
 * drops retried deliveries, applies the per-user rate limit, runs the engine and the channel's
 * fitter inside the store's atomic read-modify-write, caps the choices of a reply and a carrier
 * channel's replies of a day, and is the one error boundary of a turn: any failure becomes a short
 * apology in the user's language (none on carrier channels, where the user may have sent STOP).
 */
import type {
  CaseIntake,
  ChannelCapabilities,
  ConversationKey,
  ConversationKeyer,
  ConversationState,
  ConversationStore,
  GateResult,
  InboundMessage,
  Lang,
  Logger,
  Reply,
  ReplyFitter,
  TurnGate,
  TurnHandler,
  TurnRequest,
  TurnResponse,
  TurnFacts,
} from '../domain/index.js';
import { dayOf, errorName, langOfLocale, smsSegments } from '../domain/index.js';
import { newCaseRef, runCaseOps, type CaseRun } from './case-ops.js';
import { handleTurn } from './handle-turn.js';
import { alwaysServed, boundMessage, capChoices, isForgetMe, RATE_WINDOW_SECONDS, SMS_BUDGET_ALERT_SHARE, SMS_CAP_WINDOW_SECONDS, type TurnLimits } from './limits.js';
import type { EngineDeps, EngineTurnResult } from './types.js';

/** What `createConversationService` needs. */
export interface ConversationServiceOptions {
  store: ConversationStore;
  keyer: ConversationKeyer;
  /** The engine's dependencies; capabilities come with each request. */
  deps: Omit<EngineDeps, 'capabilities'>;
  logger: Logger;
  /** Per-user rate limit and carrier cap (absent: none; `main.ts` passes RATE_LIMIT_PER_MINUTE and SMS_DAILY_CAP). */
  limits?: TurnLimits;
  /** Monotonic clock in milliseconds, for the latency field of `turn.handled` (default `performance.now`). */
  clock?: () => number;
  /**
   * Called with a free-text question Dalil could not answer (out of scope) or answered with low
   * confidence, so editors can learn from it. Carries no user identifier; the receiver masks
   * numbers and e-mails before keeping anything. Must not throw.
   */
  onMissed?: (missed: MissedQuestion) => void;
  /**
   * Called after a forget-me with the same keyed reference `onMissed` gave that user's
   * questions, so they are erased too. Must not throw.
   */
  onForget?: (owner: string) => void;
  /**
   * Called at the end of each turn the engine ran (or that failed) with aggregate-safe facts
   * only: day, outcome, topic, urgency, language, channel, city, feedback, latency. Never a user
   * key or a word of the message. Must not throw and must not wait: counting never slows a turn.
   */
  onTurn?: (facts: TurnFacts) => void;
  /**
   * The case desk, when partner organisations take cases: its partners are routed to during the
   * turn, and the turn's case operations (open, relay, close) and forget-me reach it after the
   * state is saved. Absent: "talk to a person" lists organisations and numbers.
   */
  cases?: CaseIntake;
  /** Makes the reference of a case a turn may open (default: random, from `newCaseRef`). */
  newCaseRef?: () => string;
}

/** A question Dalil missed, as handed to `onMissed`: no user identifier. */
export interface MissedQuestion {
  text: string;
  lang: Lang;
  intent: string;
  confidence?: number;
  topCandidates: ReadonlyArray<{ intent: string; confidence: number }>;
  at: number;
  /**
   * A keyed reference of the sender for erasure only: the keyed hash of the user id under a
   * purpose of its own, so it is not the conversation key and cannot be joined to the state.
   */
  owner: string;
}

/** The erasure reference of a user's missed questions (see `MissedQuestion.owner`). */
function ownerOf(keyer: ConversationKeyer, message: InboundMessage, userId: string): string {
  return keyer.key(message.channel, `\u0000missed\u0000${userId}`);
}

/** Below this confidence an answered question still counts as missed (editors review it). */
export const MISSED_CONFIDENCE = 0.5;

const DEFAULT_MAX_CHARS = 1000;


/** What the store transaction of a turn resolves to; `lang` is the user's language as last stored. */
type GatedTurn = { lang: Lang } & (
  | { kind: 'duplicate' }
  | { kind: 'limited'; notice: boolean }
  | { kind: 'turn'; turn: EngineTurnResult; resumed: boolean }
  | { kind: 'failed'; error: string }
);

/** One turn's inputs, as the transaction callback reads them. */
interface TurnInput {
  message: InboundMessage;
  capabilities: ChannelCapabilities;
  fit: TurnRequest['fit'];
  /** The rate limit applies to this message, at this many messages a minute. */
  ratePerMinute: number;
  fallbackLang: Lang;
  deps: Omit<EngineDeps, 'capabilities'>;
}

/**
 * The turn inside the store's transaction: pure, since the store may run it up to three times
 * (only the last run's result counts). Duplicate and rate limit first, then the engine and the
 * channel's fitter, whose pages behind MORE are saved with the state.
 */
function gatedTurn(input: TurnInput, stored: ConversationState | undefined, found: GateResult): { state: ConversationState | null | undefined; result: GatedTurn } {
  const { message, capabilities, ratePerMinute } = input;
  const lang = stored?.lang ?? input.fallbackLang;
  if (found.duplicate) return { state: undefined, result: { kind: 'duplicate', lang } };
  if (ratePerMinute > 0 && found.rateCount > ratePerMinute) {
    // After STOP a carrier channel gets nothing at all, not even the notice.
    const first = found.rateCount === ratePerMinute + 1 && !stored?.stopped;
    return { state: undefined, result: { kind: 'limited', notice: first, lang } };
  }
  let state = stored;
  // A user who writes again on a channel without a carrier is reachable again (Telegram: unblocked
  // the bot); under a carrier's rules only START lifts a STOP, which the engine handles.
  const resumed = state?.stopped === true && !capabilities.carrier;
  if (resumed && state) state = { ...state, stopped: undefined };
  // After STOP on a carrier channel the engine stays silent, but a forget-me must still erase
  // everything (silently: the carrier forbids sending anything until START).
  if (state?.stopped && capabilities.carrier && isForgetMe(message)) {
    const silent: EngineTurnResult = { replies: [], state: null, events: [], meta: { intent: 'cmd:delete', lang } };
    return { state: null, result: { kind: 'turn', turn: silent, resumed, lang } };
  }
  let turn: EngineTurnResult;
  try {
    turn = handleTurn(message, state, { ...input.deps, capabilities });
  } catch (err) {
    // The state stays as it was; the apology is written in the user's stored language.
    return { state: undefined, result: { kind: 'failed', error: errorName(err), lang } };
  }
  const fitted = input.fit ? fitTurn(turn, input.fit) : turn;
  return { state: fitted.state, result: { kind: 'turn', turn: fitted, resumed, lang } };
}

/**
 * A turn's replies fitted by the channel's fitter; the pages it keeps behind MORE go into the
 * new state. A forget-me (no state) and a silent turn are left as they are.
 */
export function fitTurn(turn: EngineTurnResult, fit: ReplyFitter): EngineTurnResult {
  if (turn.state === null || turn.replies.length === 0) return turn;
  const fitted = fit(turn.replies, turn.meta.lang);
  const state = { ...turn.state };
  if (fitted.later.length > 0) state.pendingPages = fitted.later;
  // Numbers map back to the list as shown: the fitter may have shortened it (never reordered).
  // A turn it paged into one message keeps the whole list (its numbers are in the pages).
  const shownAt = turn.replies.findLastIndex((r) => (r.choices?.length ?? 0) > 0);
  const shown = fitted.replies.length === turn.replies.length ? fitted.replies[shownAt]?.choices : undefined;
  if (shown && shown.length > 0) state.choices = shown.map((c) => ({ ...c }));
  return { ...turn, replies: fitted.replies, state };
}

/** What the service's steps share: its options, resolved once. */
interface Service {
  store: ConversationStore;
  keyer: ConversationKeyer;
  deps: Omit<EngineDeps, 'capabilities'>;
  logger: Logger;
  clock: () => number;
  ratePerMinute: number;
  carrierDailyCap: number;
  smsBudgets: ReadonlyArray<{ window: 'hour' | 'day'; seconds: number; limit: number }>;
  /** The web's per-instance turn rate: the limit and the current minute's count. */
  web: { perMinute: number; minute: number; count: number };
  maxChars: number;
  onMissed: ((missed: MissedQuestion) => void) | undefined;
  onForget: ((owner: string) => void) | undefined;
  onTurn: ((facts: TurnFacts) => void) | undefined;
  cases: CaseIntake | undefined;
  newCaseRef: () => string;
}

function notice(svc: Service, lang: Lang, key: string): Reply {
  return { kind: 'notice', text: svc.deps.t(lang, key), lang };
}

/**
 * The carrier's cost cap, applied to every carrier turn that would send something (the
 * rate-limit notice included): past the cap one notice, then silence until the day's window ends.
 */
async function capCarrier(svc: Service, key: ConversationKey, caps: ChannelCapabilities, lang: Lang, replies: Reply[]): Promise<{ replies: Reply[]; capped?: true }> {
  if (svc.carrierDailyCap <= 0 || !caps.carrier || replies.length === 0) return { replies };
  const count = await svc.store.hit(key, 'sms', SMS_CAP_WINDOW_SECONDS);
  if (count <= svc.carrierDailyCap) return { replies };
  const first = count === svc.carrierDailyCap + 1;
  svc.logger.info('turn.sms_capped', { notice: first });
  return { replies: first ? [notice(svc, lang, 'limits.smsCap')] : [], capped: true };
}

/**
 * The global SMS budget (all users, all instances): the segments of a carrier reply are spent in
 * the hour's and the day's counters; past either budget nothing is sent until the window ends, so
 * many rotating numbers cannot run up the bill. Crossing 80 % logs an alert once.
 */
async function budgetCarrier(svc: Service, caps: ChannelCapabilities, replies: Reply[]): Promise<{ replies: Reply[]; overBudget?: true }> {
  if (!caps.carrier || replies.length === 0 || svc.smsBudgets.length === 0) return { replies };
  const segments = replies.reduce((n, r) => n + smsSegments(r.text), 0);
  for (const { window, seconds, limit } of svc.smsBudgets) {
    const total = await svc.store.spend(`sms-segments:${window}`, segments, seconds);
    const before = total - segments;
    if (total >= SMS_BUDGET_ALERT_SHARE * limit && before < SMS_BUDGET_ALERT_SHARE * limit) {
      svc.logger.warn('sms.budget_alert', { window, limit, used: Math.min(total, limit), share: SMS_BUDGET_ALERT_SHARE });
    }
    if (total > limit) {
      if (before <= limit) svc.logger.error('sms.budget_exhausted', { window, limit });
      return { replies: [], overBudget: true };
    }
  }
  return { replies };
}

/** The web's turn rate of this instance: false when this minute's budget is spent. */
function webTurnAllowed(svc: Service, channel: InboundMessage['channel']): boolean {
  if (channel !== 'web' || svc.web.perMinute <= 0) return true;
  const minute = Math.floor(Date.now() / 60_000);
  if (minute !== svc.web.minute) {
    svc.web.minute = minute;
    svc.web.count = 0;
  }
  svc.web.count += 1;
  if (svc.web.count === svc.web.perMinute + 1) svc.logger.warn('turn.web_busy', { perMinute: svc.web.perMinute });
  return svc.web.count <= svc.web.perMinute;
}

/** Hands a question Dalil missed to `onMissed`, without a user id. */
function reportMissed(svc: Service, request: TurnRequest, message: InboundMessage, out: EngineTurnResult): void {
  const asked = message.text?.trim();
  const { meta } = out;
  if (!svc.onMissed || !asked || !meta.candidates) return;
  if (meta.intent !== 'out-of-scope' && (meta.confidence ?? 1) >= MISSED_CONFIDENCE) return;
  try {
    svc.onMissed({
      text: asked.slice(0, svc.maxChars),
      lang: meta.lang,
      intent: meta.intent,
      ...(meta.confidence !== undefined ? { confidence: meta.confidence } : {}),
      topCandidates: meta.candidates,
      at: message.receivedAt,
      owner: ownerOf(svc.keyer, message, request.userId),
    });
  } catch (err) {
    svc.logger.warn('missed.record_failed', { error: errorName(err) });
  }
}

/** Hands a turn's aggregate-safe facts to `onTurn`; a failing hook is logged by its error's name. */
function reportTurn(svc: Service, facts: TurnFacts): void {
  if (!svc.onTurn) return;
  try {
    svc.onTurn(facts);
  } catch (err) {
    svc.logger.warn('insights.hook_failed', { error: errorName(err) });
  }
}

/** The facts of an engine turn for `onTurn`: what it came to, never who asked or what they wrote. */
function factsOf(message: InboundMessage, out: EngineTurnResult, latencyMs: number): TurnFacts {
  const { meta } = out;
  const feedback = out.events.find((e) => e.name === 'feedback.received');
  const city = out.state?.city;
  return {
    day: dayOf(message.receivedAt),
    channel: message.channel,
    lang: meta.lang,
    outcome: meta.outcome ?? 'other',
    ...(meta.topic ? { topic: meta.topic } : {}),
    ...(meta.outcome === 'answered' && (meta.confidence ?? 1) < MISSED_CONFIDENCE ? { unsure: true as const } : {}),
    ...(meta.urgency ? { urgency: meta.urgency } : {}),
    ...(city ? { city } : {}),
    ...(feedback ? { feedback: { topic: feedback.topic, value: feedback.value } } : {}),
    latencyMs,
  };
}

/** What the case operations of a turn need from the service. */
function caseRun(svc: Service, cases: CaseIntake): CaseRun {
  return { cases, store: svc.store, logger: svc.logger, t: svc.deps.t, kb: svc.deps.kb };
}

/** Logs, reports and caps an engine turn's result. */
async function afterTurn(svc: Service, key: ConversationKey, request: TurnRequest, message: InboundMessage, gated: GatedTurn & { kind: 'turn' }, started: number): Promise<TurnResponse> {
  const { logger } = svc;
  const { turn: out, resumed } = gated;
  const channel = message.channel;
  const lang = out.meta.lang;
  for (const event of out.events) logger.info(event.name, { channel, topic: event.topic, value: event.value });
  if (resumed) logger.info('conversation.resumed', { channel });
  reportMissed(svc, request, message, out);
  if (out.state === null && svc.onForget) {
    try {
      svc.onForget(ownerOf(svc.keyer, message, request.userId));
    } catch (err) {
      logger.warn('missed.forget_failed', { error: errorName(err) });
    }
  }
  const caseNotices = svc.cases && (out.caseOps || out.state === null) ? await runCaseOps(caseRun(svc, svc.cases), { key, request, ops: out.caseOps ?? [], state: out.state, lang, at: message.receivedAt }) : [];
  const bounded = capChoices([...out.replies, ...caseNotices]);
  if (bounded.capped > 0) logger.warn('turn.choices_capped', { channel, replies: bounded.capped });
  let replies = bounded.replies;
  // The carrier's cost cap, per answered turn; a forget-me is never counted (no counter may stay behind).
  let smsCapped: true | undefined;
  if (out.state !== null) ({ replies, capped: smsCapped } = await capCarrier(svc, key, request.capabilities, lang, replies));
  const budget = await budgetCarrier(svc, request.capabilities, replies);
  replies = budget.replies;
  const latencyMs = Math.round(svc.clock() - started);
  reportTurn(svc, factsOf(message, out, latencyMs));
  logger.info('turn.handled', {
    channel,
    intent: out.meta.intent,
    confidence: out.meta.confidence !== undefined ? Math.round(out.meta.confidence * 1000) / 1000 : undefined,
    lang,
    replies: replies.length,
    forgotten: out.state === null ? true : undefined,
    smsCapped,
    smsOverBudget: budget.overBudget,
    latencyMs,
  });
  return { replies, duplicate: false, lang, ...(out.state?.case ? { caseOpen: true } : {}) };
}

/** The apology of a failed turn (none on carrier channels), with the error's name logged. */
function failed(svc: Service, request: TurnRequest, error: string, lang: Lang, started: number): TurnResponse {
  const latencyMs = Math.round(svc.clock() - started);
  svc.logger.error('engine.turn_failed', { channel: request.message.channel, error, latencyMs });
  reportTurn(svc, { day: dayOf(request.message.receivedAt), channel: request.message.channel, lang, outcome: 'failed', latencyMs });
  const replies: Reply[] = request.capabilities.carrier ? [] : [{ kind: 'error', text: svc.deps.t(lang, 'error.apology'), lang }];
  return { replies, duplicate: false, lang };
}

/**
 * A delivery seen before, whatever happened to its conversation since. A forget-me deletes the
 * conversation's delivery ids with everything else, so a redelivered (or replayed: Twilio's
 * signature has no timestamp) message would find nothing to dedupe against, be answered in full
 * and recreate the keys of a user who asked to be forgotten. Every delivery therefore also gets a
 * marker under a keyed hash of the channel, user and delivery id (`DEDUPE_TTL_HOURS`): it outlives
 * the erasure and is no conversation key.
 */
async function isRepeatedDelivery(svc: Service, request: TurnRequest, message: InboundMessage): Promise<boolean> {
  if (request.deliveryId === undefined) return false;
  // With the user id inside the keyed hash: a web client chooses its own delivery ids, which
  // only need to be unique per user. Without the secret, the user id and the delivery id, the
  // marker leads back to no one.
  const marker = svc.keyer.key(message.channel, `\u0000delivery\u0000${request.userId}\u0000${request.deliveryId}`);
  return !(await svc.store.markDelivery(marker, 'delivery'));
}

/** The turn through the store's gate and transaction. */
async function serve(svc: Service, request: TurnRequest, message: InboundMessage, fallbackLang: Lang, started: number): Promise<TurnResponse> {
  const { capabilities } = request;
  const channel = message.channel;
  // The raw user id is hashed at once and never logged or stored.
  const key = svc.keyer.key(channel, request.userId);
  if (await isRepeatedDelivery(svc, request, message)) {
    svc.logger.info('turn.duplicate', { channel });
    return { replies: [], duplicate: true, lang: fallbackLang };
  }
  // The delivery id and the rate limit are checked in the same store round trip that takes the
  // conversation's lock; the rate limit comes before any matching: one polite notice, then
  // silence until the window ends.
  const limited = svc.ratePerMinute > 0 && capabilities.rateLimited && !alwaysServed(message, capabilities.carrier);
  const gate: TurnGate = {
    ...(request.deliveryId !== undefined ? { deliveryId: request.deliveryId } : {}),
    ...(limited ? { rateWindowSeconds: RATE_WINDOW_SECONDS } : {}),
  };
  // Cases: the partners as they stand now, and the reference a case opened in this turn gets.
  const deps = svc.cases ? { ...svc.deps, partners: svc.cases.partners(), caseRef: svc.newCaseRef() } : svc.deps;
  const input: TurnInput = { message, capabilities, fit: request.fit, ratePerMinute: limited ? svc.ratePerMinute : 0, fallbackLang, deps };
  const out = await svc.store.transact<GatedTurn>(key, (stored, found) => gatedTurn(input, stored, found), gate);
  switch (out.kind) {
    case 'duplicate':
      svc.logger.info('turn.duplicate', { channel });
      return { replies: [], duplicate: true, lang: out.lang };
    case 'limited': {
      svc.logger.info('turn.rate_limited', { channel, notice: out.notice });
      if (!out.notice) return { replies: [], duplicate: false, lang: out.lang };
      const capped = await capCarrier(svc, key, capabilities, out.lang, [notice(svc, out.lang, 'limits.rateLimited')]);
      const budget = await budgetCarrier(svc, capabilities, capped.replies);
      return { replies: budget.replies, duplicate: false, lang: out.lang };
    }
    case 'failed':
      return failed(svc, request, out.error, out.lang, started);
    case 'turn':
      return afterTurn(svc, key, request, message, out, started);
  }
}

/** Creates the `TurnHandler` channel adapters receive from `main.ts`. */
export function createConversationService(options: ConversationServiceOptions): TurnHandler {
  const svc: Service = {
    store: options.store,
    keyer: options.keyer,
    deps: options.deps,
    logger: options.logger,
    clock: options.clock ?? (() => performance.now()),
    ratePerMinute: options.limits?.ratePerMinute ?? 0,
    carrierDailyCap: options.limits?.smsDailyCap ?? 0,
    smsBudgets: [
      { window: 'hour' as const, seconds: 3600, limit: options.limits?.smsSegmentsPerHour ?? 0 },
      { window: 'day' as const, seconds: 86_400, limit: options.limits?.smsSegmentsPerDay ?? 0 },
    ].filter((b) => b.limit > 0),
    web: { perMinute: options.limits?.webTurnsPerMinute ?? 0, minute: 0, count: 0 },
    maxChars: options.deps.maxMessageChars ?? DEFAULT_MAX_CHARS,
    onMissed: options.onMissed,
    onForget: options.onForget,
    onTurn: options.onTurn,
    cases: options.cases,
    newCaseRef: options.newCaseRef ?? newCaseRef,
  };
  return async (request: TurnRequest): Promise<TurnResponse> => {
    const started = svc.clock();
    // Long messages are cut for matching, never rejected.
    const message = boundMessage(request.message, svc.maxChars);
    const fallbackLang = langOfLocale(message.localeHint) ?? svc.deps.defaultLang;
    // The web chat's user ids are chosen by the client: a per-instance budget bounds what any
    // number of made-up users can make this instance do (a forget-me is always served).
    if (!isForgetMe(message) && !webTurnAllowed(svc, message.channel)) {
      svc.logger.info('turn.rate_limited', { channel: message.channel, scope: 'instance' });
      return { replies: [notice(svc, fallbackLang, 'limits.rateLimited')], duplicate: false, lang: fallbackLang };
    }
    try {
      return await serve(svc, { ...request, message }, message, fallbackLang, started);
    } catch (err) {
      return failed(svc, request, errorName(err), fallbackLang, started);
    }
  };
}
