/**
 * The one place where concrete pieces are wired together:
 * config -> store -> knowledge -> matcher -> engine -> channels -> server.
 * `npm start` runs this file; tests call `startDalil` with their own config.
 */
import type { Server } from 'node:http';
import { getHeapStatistics } from 'node:v8';
import { pathToFileURL } from 'node:url';
import { loadConfig, DEFAULT_HMAC_SECRET, PROJECT_ROOT, type Config } from './config/index.js';
import { ContentError, dayOf, organisationName, type CaseReacher, type ChannelId, type PartnerRegistry, type DeliveryFact, type SmsSentFacts, type StoreCallFact, type TurnFacts, type ConversationStore, type KnowledgeBase, type Logger, type Matcher, type Translate, type TurnHandler } from './domain/index.js';
import { createLogger, requestIdFrom, withRequestId } from './logging/logger.js';
import { createHmacKeyer } from './state/keyer.js';
import { createMemoryStore } from './state/memory.js';
import { loadKnowledgeSnapshot, textSettingsOf } from './knowledge/index.js';
import { createMatcherStore, type MatcherStore } from './nlu/model-store.js';
import { prepareUrgency } from './nlu/urgency.js';
import { checkLocaleDir, createTranslator } from './i18n/index.js';
import { createCaseFollower, createConversationService, type MissedQuestion } from './engine/index.js';
import { createAdmin, type Admin, type PreviewRenderer } from './admin/index.js';
import { createStopMarker, type StopMarker } from './engine/stop.js';
import { createSmsAllowance, type SmsAllowed } from './engine/sms-allowance.js';
import type { CaseUpdates } from './channels/web/router.js';
import { createApp, type ChannelMount } from './server/app.js';
import { createGracefulClose } from './server/shutdown.js';
import { createTaskTracker } from './server/tasks.js';
import { createWebChannel, previewOf } from './channels/web/router.js';
import { smsCapabilities } from './channels/shared/capabilities.js';
import { createSmsFitter } from './channels/shared/sms.js';
import { BOTFRAMEWORK_PATH, botFrameworkConfigured, SMS_WEBHOOK_PATH, smsConfigured, TELEGRAM_WEBHOOK_PATH, telegramConfigured, WHATSAPP_WEBHOOK_PATH, whatsappConfigured } from './channels/configured.js';
import { deferChannel, type BuiltChannel, type DeferredChannel } from './server/deferred-channel.js';
import type { TwilioSender } from './channels/twilio/send.js';
import type { DalilMetrics } from './server/metrics.js';
import type { RedisConversationStore } from './state/redis.js';
import { caseKeyFor, createCaseDesk, createSealer, openCaseStore, SWEEP_INTERVAL_MS, type RunningCaseDesk } from './cases/index.js';

/** A running Dalil. */
/**
 * Share of V8's heap limit that the heap may fill right after startup before a warning: publishing
 * retrains the matcher next to the running one, which briefly needs about as much again.
 */
const HEAP_WARN_SHARE = 0.4;

export interface RunningDalil {
  server: Server;
  /** Base URL it listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  store: ConversationStore;
  /** The case desk (a person behind Dalil): the channels' relay and the inbox use it. */
  cases: RunningCaseDesk;
  /** Where the separate `/metrics` listener answers (METRICS_PORT), e.g. http://127.0.0.1:9464 */
  metricsUrl?: string;
  /** Turns and sends in flight (HTTP requests included only while their work runs). */
  inflight(): number;
  /** HTTP requests being answered now. */
  requestsInFlight(): number;
  /**
   * Graceful close: stops accepting connections, lets the turns in flight finish (at most
   * SHUTDOWN_TIMEOUT_MS), then closes the store. Later calls return the same promise.
   */
  close(): Promise<void>;
}

/** What tests and the soak may replace when starting Dalil. */
export interface StartOverrides {
  /** Twilio REST sender (default: Twilio's client with the configured account). */
  twilioSender?: TwilioSender;
}

/** Opens the conversation store chosen by the config: Redis when REDIS_URL (or Sentinel, Cluster) is set, memory otherwise. */
async function openStore(config: Config, logger: Logger, hooks: DalilCore['hooks'] = {}): Promise<ConversationStore> {
  if (!config.redisTopology) {
    logger.info('state.memory.selected', { ttlSeconds: config.stateTtlSeconds });
    return createMemoryStore({ ttlSeconds: config.stateTtlSeconds, dedupeTtlSeconds: config.dedupeTtlSeconds, logger });
  }
  // Loaded only when used, as are the channels' SDKs below: the embedded default needs none of them.
  const { createRedisStore } = await import('./state/redis.js');
  return createRedisStore({
    url: config.redisUrl,
    topology: config.redisTopology,
    prefix: config.redisPrefix,
    ttlSeconds: config.stateTtlSeconds,
    commandTimeoutMs: config.redisCommandTimeoutMs,
    dedupeTtlSeconds: config.dedupeTtlSeconds,
    onCall: (fact) => hooks.metrics?.onStoreCall(fact),
    logger,
  });
}

/** The metrics of this instance when `/metrics` is served (METRICS_TOKEN or METRICS_PORT), fed through the core's hooks. */
async function metricsOf(config: Config, store: ConversationStore, hooks: DalilCore['hooks']): Promise<DalilMetrics | undefined> {
  if (!config.metrics.token && !config.metrics.port) return undefined;
  // Loaded only when used, like the channels' SDKs.
  const { createMetrics } = await import('./server/metrics.js');
  const redis = 'isAvailable' in store ? (store as RedisConversationStore) : undefined;
  const metrics = createMetrics(redis ? { redisUp: () => redis.isAvailable(), pendingDeletes: () => redis.metrics().pendingDeletes } : {});
  hooks.metrics = metrics;
  return metrics;
}

/** The knowledge base and matcher in use; publishing from /admin swaps both without a restart. */
export interface LiveKnowledge {
  kb: KnowledgeBase;
  matcher: Matcher;
}

/** The channel-independent core: knowledge, matcher, translations, store and the turn handler. */
export interface DalilCore {
  kb: KnowledgeBase;
  live: LiveKnowledge;
  /** Saved and newly trained matchers (a publish trains in a worker thread). */
  matchers: MatcherStore;
  /** Where missed questions go once the editors' app runs (set by `startDalil`). */
  hooks: {
    onMissed?: (missed: MissedQuestion) => void;
    onForget?: (owner: string) => void;
    onTurn?: (facts: TurnFacts) => void;
    onSms?: (facts: SmsSentFacts) => void;
    /** The partner organisations cases are routed to (the editors' app's registry, set by `startDalil`). */
    partners?: PartnerRegistry;
    /** Metrics' share of each turn and Redis call (set by `startDalil` when /metrics is served). */
    metrics?: { onTurn(facts: TurnFacts): void; onStoreCall(fact: StoreCallFact): void };
  };
  store: ConversationStore;
  /** The case desk: cases sealed in memory on the embedded default, in Redis with REDIS_URL. */
  cases: RunningCaseDesk;
  /**
   * How a case worker's reply reaches a user on each channel outside a turn, filled as channels
   * start (the web chat's is the desk's own outbox).
   */
  caseReachers: Map<ChannelId, CaseReacher>;
  /** What the channels' case parts need of the core: the SMS rules outside a turn, the web chat's poll. */
  caseChannels: {
    smsAllowance: (channel: ChannelId, userId: string, segments: number) => Promise<SmsAllowed>;
    webUpdates: (userId: string) => Promise<CaseUpdates>;
  };
  handleTurn: TurnHandler;
  /** Marks a conversation stopped when a platform says the user blocked the bot or opted out. */
  markStopped: StopMarker;
  /** Interface strings in the four languages (locales/). */
  t: Translate;
  /** Content warnings (needs-verification answers and the like). */
  warnings: number;
}

/**
 * The case desk next to the conversation store: memory on the embedded default, Redis (same
 * client factory and prefix) when configured. Partners: the registry admins edit in the editors'
 * app (`hooks.partners`, set once it runs; none before, so no case can be routed).
 */
async function openCases(config: Config, logger: Logger, t: Translate, live: LiveKnowledge, hooks: DalilCore['hooks'], conversations: ConversationStore): Promise<Pick<DalilCore, 'cases' | 'caseReachers'>> {
  // A case a worker closed or moved: the user's conversation stops pointing at it, or names the new organisation.
  const follow = createCaseFollower({ store: conversations, logger });
  const key = caseKeyFor({ env: config.env, encryptionKey: config.cases.encryptionKey, hmacSecret: config.hmacSecret }, logger);
  const store = await openCaseStore({
    topology: config.redisTopology,
    prefix: config.redisPrefix,
    commandTimeoutMs: config.redisCommandTimeoutMs,
    retentionDays: config.cases.retentionDays,
    logger,
  });
  const caseReachers = new Map<ChannelId, CaseReacher>();
  const cases = createCaseDesk({
    store,
    sealer: createSealer([key]),
    reachers: caseReachers,
    partners: { list: () => hooks.partners?.list() ?? [], get: (id) => hooks.partners?.get(id) },
    t,
    logger,
    retentionDays: config.cases.retentionDays,
    onCaseMoved: (key, ref, move) => void follow(key, ref, move),
    orgName: (orgId, lang) => {
      const org = live.kb.organisations.get(orgId);
      return org ? organisationName(org, lang) : undefined;
    },
  });
  return { cases, caseReachers };
}

/** Sweeps closed cases past their retention every hour (unref'd: it never keeps the process alive); returns the stop function. */
function startCaseSweep(cases: RunningCaseDesk, logger: Logger): () => void {
  const sweep = (): void => {
    cases.sweep(Date.now()).catch((err: unknown) => logger.warn('case.sweep_failed', { error: err instanceof Error ? err.name : 'unknown' }));
  };
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS);
  timer.unref();
  sweep();
  return () => clearInterval(timer);
}

/** Loads and validates content (throws `ContentError` on any error), trains the matcher, opens the store. */
export async function buildCore(config: Config, logger: Logger): Promise<DalilCore> {
  if (config.hmacSecret === DEFAULT_HMAC_SECRET) {
    logger.warn('config.default_hmac_secret', { hint: 'set HMAC_SECRET before real users arrive' });
  }
  // Parsed and validated content is kept beside the saved matchers (MATCHER_DIR), keyed by the files.
  const { kb, issues } = await loadKnowledgeSnapshot({
    contentDir: config.contentDir,
    intentsDir: config.intentsDir,
    smsShortFormSegments: config.smsShortFormSegments,
    settings: textSettingsOf(config),
    root: PROJECT_ROOT,
    dir: config.matcherDir,
    logger,
  });
  issues.push(...(await checkLocaleDir(config.localesDir, PROJECT_ROOT)));
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new ContentError(errors);
  const matchers = createMatcherStore({ dir: config.matcherDir, logger, cacheSize: config.matchCacheSize });
  const live: LiveKnowledge = { kb, matcher: await matchers.load({ phrases: kb.phrases, cities: [...kb.cities.values()] }) };
  const hooks: DalilCore['hooks'] = {};
  const t = await createTranslator(config.localesDir);
  const store = await openStore(config, logger, hooks);
  const { cases, caseReachers } = await openCases(config, logger, t, live, hooks, store);
  const keyer = createHmacKeyer(config.hmacSecret);
  const limits = {
    ratePerMinute: config.rateLimitPerMinute,
    smsDailyCap: config.smsDailyCap,
    smsSegmentsPerHour: config.smsSegmentsPerHour,
    smsSegmentsPerDay: config.smsSegmentsPerDay,
    webTurnsPerMinute: config.webTurnsPerMinute,
  };
  const handleTurn = createConversationService({
    store,
    keyer,
    // Getters: each turn reads the knowledge and matcher live now (the service spreads deps per turn).
    deps: {
      get kb() {
        return live.kb;
      },
      get matcher() {
        return live.matcher;
      },
      t,
      defaultLang: config.defaultLang,
      maxMessageChars: config.maxMessageChars,
      retentionDays: Math.round(config.stateTtlSeconds / 86_400),
      missedRetentionDays: config.admin.missedRetentionDays,
      caseRetentionDays: config.cases.retentionDays,
    },
    limits,
    cases,
    onMissed: (missed) => hooks.onMissed?.(missed),
    onForget: (owner) => hooks.onForget?.(owner),
    onTurn: (facts) => {
      hooks.onTurn?.(facts);
      hooks.metrics?.onTurn(facts);
    },
    logger,
  });
  const markStopped = createStopMarker({ store, keyer, logger });
  const caseChannels: DalilCore['caseChannels'] = {
    smsAllowance: createSmsAllowance({ store, keyer, limits, logger }),
    webUpdates: async (userId) => {
      const key = keyer.key('web', userId);
      const replies = await cases.takeWebReplies(key);
      return { replies, open: (await store.get(key))?.case !== undefined };
    },
  };
  return { kb, live, matchers, hooks, store, cases, caseReachers, caseChannels, handleTurn, markStopped, t, warnings: issues.length };
}

/**
 * The editors' app: publishing swaps the live knowledge base and retrains the matcher; missed
 * questions, turns and SMS are counted through the core's hooks; the partners admins edit route the
 * cases, and the inbox reads and acts through the desk.
 */
async function startAdmin(
  config: Config,
  core: Pick<DalilCore, 'kb' | 'live' | 'hooks' | 'cases' | 'matchers'> & { logger: Logger; draining: () => boolean; renderPreview: PreviewRenderer },
): Promise<Admin> {
  const { live, hooks, logger } = core;
  const admin = await createAdmin({
    settings: config.admin,
    knowledge: {
      contentDir: config.contentDir,
      intentsDir: config.intentsDir,
      smsShortFormSegments: config.smsShortFormSegments,
      settings: textSettingsOf(config),
      root: PROJECT_ROOT,
    },
    kb: core.kb,
    // The running matcher answers while the new one trains (in a worker thread); both swap together.
    onPublished: async (next) => {
      const matcher = await core.matchers.next({ phrases: next.phrases, cities: [...next.cities.values()] });
      if (!matcher) return; // a newer publish is being applied
      live.matcher = matcher;
      live.kb = next;
    },
    renderPreview: core.renderPreview,
    logger,
    insights: config.insights,
    draining: core.draining,
    desk: core.cases,
    ...(config.redisTopology
      ? { redis: { url: config.redisUrl, topology: config.redisTopology, prefix: config.redisPrefix, commandTimeoutMs: config.redisCommandTimeoutMs } }
      : {}),
  });
  hooks.onMissed = (missed) => void admin.recordMissed(missed);
  hooks.onForget = (owner) => void admin.forgetMissed(owner);
  hooks.onTurn = (facts) => admin.recordTurn(facts);
  hooks.onSms = (facts) => admin.recordSms(facts);
  hooks.partners = admin.partners;
  return admin;
}

/** Loads everything, refuses invalid content, and starts listening. */
export async function startDalil(config: Config, logger: Logger, overrides: StartOverrides = {}): Promise<RunningDalil> {
  const started = performance.now();
  const { kb, live, matchers, hooks, store, cases, caseReachers, caseChannels, handleTurn, markStopped, t, warnings } = await buildCore(config, logger);
  const stopSweep = startCaseSweep(cases, logger);
  // Work that may outlive its webhook (slow turns) is counted, so SIGTERM can wait for it.
  const tasks = createTaskTracker();

  // Channels are switched on by their credentials; webhooks are mounted before the web chat at "/".
  const metrics = await metricsOf(config, store, hooks);
  const metricsHttp = metrics ? await import('./server/metrics.js') : undefined;
  // One delivery hook feeds /metrics and the SMS cost of the Insights page (segments only, never the text).
  const onDelivered = (fact: DeliveryFact): void => {
    metrics?.onDelivered(fact);
    if (fact.smsSegments > 0) hooks.onSms?.({ day: dayOf(Date.now()), lang: fact.lang, segments: fact.smsSegments });
  };
  const deps = { handleTurn, logger, tasks, defaultLang: config.defaultLang, onDelivered };
  const common = {
    publicBaseUrl: config.publicBaseUrl,
    maxBodySize: config.maxBodySize,
    defaultLang: config.defaultLang,
    webhookDeadlineMs: config.webhookDeadlineMs,
  };
  const mounts: ChannelMount[] = [];
  // Each channel switched on is mounted now, but its SDK is loaded and the channel built at its
  // first use (a webhook, a case worker's reply, the Telegram setup after listening): startup
  // does not wait for botbuilder, the Twilio SDK or grammY.
  const mountDeferred = <T extends BuiltChannel>(id: ChannelId, path: string, build: () => Promise<T>): DeferredChannel<T> => {
    const channel = deferChannel(id, build, logger);
    mounts.push({ name: id, path, router: channel.router });
    caseReachers.set(id, channel.reacher);
    return channel;
  };
  let telegramSetup: (() => Promise<boolean>) | undefined;
  if (telegramConfigured(config.telegram)) {
    const telegram = mountDeferred('telegram', TELEGRAM_WEBHOOK_PATH, async () => {
      const { createTelegramChannel } = await import('./channels/telegram/router.js');
      const built = createTelegramChannel({ ...config.telegram, ...common }, { ...deps, markStopped: (userId) => markStopped('telegram', userId) });
      return { router: built.mount.router, reacher: built.reacher, setup: () => built.setup() };
    });
    // Never rejects: a channel that cannot be built was logged (channel.load_failed) and is tried again at its next use.
    telegramSetup = () => telegram.load().then((c) => c.setup(), () => false);
  }
  const twilioSettings = { ...config.twilio, ...common, smsSegmentBudget: config.smsSegmentBudget, caseTemplateSid: config.cases.whatsappTemplateSid };
  const twilioDeps = { ...deps, t, smsAllowance: caseChannels.smsAllowance, ...(overrides.twilioSender ? { sender: overrides.twilioSender } : {}) };
  if (whatsappConfigured(config.twilio)) {
    mountDeferred('whatsapp', WHATSAPP_WEBHOOK_PATH, async () => {
      const { createWhatsappChannel } = await import('./channels/twilio/router.js');
      const whatsapp = createWhatsappChannel(twilioSettings, { ...twilioDeps, markStopped: (userId) => markStopped('whatsapp', userId) });
      return { router: whatsapp.mount.router, reacher: whatsapp.reacher };
    });
  }
  if (smsConfigured(config.twilio)) {
    mountDeferred('sms', SMS_WEBHOOK_PATH, async () => {
      const { createSmsChannel } = await import('./channels/twilio/router.js');
      const sms = createSmsChannel(twilioSettings, { ...twilioDeps, markStopped: (userId) => markStopped('sms', userId) });
      return { router: sms.mount.router, reacher: sms.reacher };
    });
  }
  if (botFrameworkConfigured(config.botframework, config.env)) {
    mountDeferred('botframework', BOTFRAMEWORK_PATH, async () => {
      const { createBotFrameworkChannel } = await import('./channels/botframework/router.js');
      const botframework = createBotFrameworkChannel({ ...config.botframework, maxBodySize: config.maxBodySize, defaultLang: config.defaultLang }, deps);
      return { router: botframework.mount.router, reacher: botframework.reacher };
    });
  }
  const smsCaps = smsCapabilities(config.smsSegmentBudget);
  const smsFit = createSmsFitter(smsCaps, t);
  const webHttp = { embedOrigins: config.webEmbedOrigins, hsts: config.env === 'production' };
  mounts.push(createWebChannel({ maxBodySize: config.maxBodySize, smsCapabilities: smsCaps, smsFit, http: webHttp }, { ...deps, caseUpdates: caseChannels.webUpdates }).mount);

  const admin = await startAdmin(config, { kb, live, hooks, cases, matchers, logger, draining: () => draining(), renderPreview: (reply) => previewOf(reply, smsCaps, smsFit) });
  mounts.push({ name: 'admin', path: '/admin', router: admin.router });
  let draining = (): boolean => false;
  const app = createApp({
    mounts,
    logger,
    trustProxy: config.trustProxy,
    draining: () => draining(),
    requestIds: { id: requestIdFrom, run: withRequestId },
    ...(metrics ? { onResponse: metrics.onResponse } : {}),
    ...(metrics && metricsHttp && config.metrics.token ? { metrics: metricsHttp.metricsHandler(metrics, config.metrics.token) } : {}),
    health: async () => {
      const state = await store.health();
      return { status: state === 'ok' ? 'ok' : 'degraded', state, channels: mounts.map((m) => m.name), content: live.kb.version };
    },
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  // Slow clients cannot hold connections open for long (webhooks send a few kilobytes at once).
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  const metricsServer = metrics && metricsHttp && config.metrics.port ? await metricsHttp.startMetricsServer(metrics, config.metrics) : undefined;
  const graceful = createGracefulClose({ server, tasks, closeStore: async () => {
      await metricsServer?.close();
      await admin.close();
      stopSweep();
      await cases.shutdown();
      await matchers.settled();
      await store.close();
    }, logger, timeoutMs: config.shutdownTimeoutMs });
  draining = graceful.draining;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  if (telegramSetup) void telegramSetup();
  // The urgency patterns compile at first use (~0.1 s): now, once the server answers, not in a user's turn.
  setImmediate(prepareUrgency);
  // The start script caps V8's heap (package.json) so RSS stays bounded under load; a knowledge
  // base grown far beyond today's would need a higher cap: say so before it becomes an outage.
  const heap = getHeapStatistics();
  const heapLimitMb = Math.round(heap.heap_size_limit / 2 ** 20);
  const heapUsedMb = Math.round(heap.used_heap_size / 2 ** 20);
  if (heap.used_heap_size > HEAP_WARN_SHARE * heap.heap_size_limit) {
    logger.warn('server.heap_near_limit', { heapUsedMb, heapLimitMb });
  }
  logger.info('server.started', {
    port,
    ms: Math.round(performance.now() - started),
    topics: kb.answers.size,
    phrases: kb.phrases.length,
    channels: mounts.map((m) => m.name).join(','),
    warnings,
    heapUsedMb,
    heapLimitMb,
  });
  return {
    server,
    url: `http://${host}:${port}`,
    store,
    cases,
    ...(metricsServer ? { metricsUrl: `http://${config.metrics.host}:${metricsServer.port}` } : {}),
    inflight: () => tasks.active(),
    requestsInFlight: () => graceful.requestsInFlight(),
    close: () => graceful.close(),
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`Dalil cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : config.logLevel);
  try {
    const running = await startDalil(config, logger);
    process.stdout.write(`Dalil is running: open ${running.url}/ to chat (Ctrl+C to stop)\n`);
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        // A second signal: the operator does not want to wait.
        logger.warn('server.forced_stop', { signal });
        process.exit(1);
      }
      stopping = true;
      logger.info('server.stopping', { signal, inflight: running.inflight(), requests: running.requestsInFlight() });
      running.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  } catch (err) {
    if (err instanceof ContentError) {
      process.stderr.write(`Dalil refuses to start: ${err.message}\n`);
    } else {
      process.stderr.write(`Dalil cannot start: ${(err as Error).name}: ${(err as Error).message}\n`);
    }
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
