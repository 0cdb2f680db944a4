/**
 * The content editors' web app (`/admin`): `createAdmin` opens the admin store (files under
 * `settings.dataDir`, or Redis when given), starts the workspace (applies content published by
 * other instances) and returns the express router to mount, plus `recordMissed` for the
 * conversation service.
 */
import type { Router } from 'express';
import type { CaseDesk, KnowledgeBase, Logger, RedisTopology, SmsSentFacts, TurnFacts } from '../domain/index.js';
import { createLiveHub } from './cases/live.js';
import { createPartnerBook, type PartnerBook } from './cases/partners.js';
import { createInsightsRecorder, type InsightsRecorder } from './insights/recorder.js';
import { DEFAULT_INSIGHTS_SETTINGS, type InsightsSettings } from './insights/settings.js';
import type { LoadKnowledgeOptions } from '../knowledge/index.js';
import type { PreviewRenderer } from './content/preview.js';
import { createMissedLog, type MissedTurn } from './missed/missed-log.js';
import { createAdminRouter } from './router.js';
import type { AdminSettings } from './settings.js';
import { createFileAdminStore } from './store/file-store.js';
import { namingUnavailable, type AdminStore } from './store/port.js';
import { createWorkspace, type Workspace } from './workspace/index.js';

export type { AdminSettings } from './settings.js';
export { defaultAdminSettings } from './settings.js';
export type { MissedTurn } from './missed/missed-log.js';
export type { ChannelPreview, PreviewRenderer } from './content/preview.js';
export type { AdminStore } from './store/port.js';
export type { InsightsSettings } from './insights/settings.js';
export type { PartnerBook } from './cases/partners.js';

/** Where the admin keeps its data when instances share Redis. */
export interface AdminRedisOptions {
  url: string;
  /** Sentinel or Cluster instead of the one endpoint of `url`. */
  topology?: RedisTopology;
  prefix: string;
  commandTimeoutMs?: number;
}

/** Options of `createAdmin`. */
export interface AdminOptions {
  settings: AdminSettings;
  /** How content is loaded and checked (the options `buildCore` gives `loadKnowledge`). */
  knowledge: LoadKnowledgeOptions;
  /** The knowledge base the server started with. */
  kb: KnowledgeBase;
  /** Swaps the running knowledge base and retrains the matcher (see README, Admin). */
  onPublished: (kb: KnowledgeBase) => void | Promise<void>;
  /** The web channel's `previewOf` with the SMS capabilities. */
  renderPreview: PreviewRenderer;
  logger: Logger;
  /** Set when REDIS_URL is: admin data and published content are then shared by every instance. */
  redis?: AdminRedisOptions;
  /** A ready store (tests); takes precedence over `redis` and `settings.dataDir`. */
  store?: AdminStore;
  now?: () => number;
  /** With Redis: seconds between checks for a missed publish announcement (default 30). */
  pollSeconds?: number;
  /** Research aggregates (the `insights` part of the config; defaults when absent). */
  insights?: InsightsSettings;
  /** The case desk behind the inbox (also attachable later with `useDesk`). */
  desk?: CaseDesk;
  /** True once the server drains for shutdown: the inbox's live streams end then. */
  draining?: () => boolean;
}

/** A running admin. */
export interface Admin {
  /** Mount at `/admin`. */
  router: Router;
  /** Keeps a masked copy of a question Dalil could not answer well (never throws, no user id). */
  recordMissed(turn: MissedTurn): Promise<void>;
  /** Erases the missed questions of one sender (forget-me); never throws. */
  forgetMissed(owner: string): Promise<number>;
  /** Counts a turn's aggregate-safe facts for the Insights page (never throws, never waits). */
  recordTurn(facts: TurnFacts): void;
  /** Counts SMS segments sent (never throws, never waits). */
  recordSms(facts: SmsSentFacts): void;
  insights: InsightsRecorder;
  /** The partner organisations that take cases (kept current on every instance): the desk's `PartnerRegistry`. */
  partners: PartnerBook;
  /** Attaches the case desk the inbox reads and acts through (until then the inbox answers 404). */
  useDesk(desk: CaseDesk): void;
  workspace: Workspace;
  store: AdminStore;
  close(): Promise<void>;
}

/** Opens the admin store chosen by the settings: Redis when given, files otherwise. */
export async function openAdminStore(settings: AdminSettings, logger: Logger, redis?: AdminRedisOptions): Promise<AdminStore> {
  if (redis) {
    const { createRedisAdminStore } = await import('./store/redis-store.js');
    // A Redis outage becomes a "temporarily unavailable" page, not a 500.
    return namingUnavailable(await createRedisAdminStore({
      url: redis.url,
      ...(redis.topology ? { topology: redis.topology } : {}),
      prefix: redis.prefix,
      logger,
      ...(redis.commandTimeoutMs !== undefined ? { commandTimeoutMs: Math.max(redis.commandTimeoutMs, 2000) } : {}),
    }));
  }
  return createFileAdminStore({ dataDir: settings.dataDir });
}

/** Least time between two writes of the insights counters: under load the turns of a quarter second share one write. */
export const INSIGHTS_WRITE_INTERVAL_MS = 250;

/** Creates the admin; resolves once content published elsewhere (shared store) is applied. */
export async function createAdmin(opts: AdminOptions): Promise<Admin> {
  const { logger, settings } = opts;
  const store = opts.store ?? (await openAdminStore(settings, logger, opts.redis));
  const now = opts.now ?? Date.now;
  const workspace = createWorkspace({
    store,
    knowledge: opts.knowledge,
    kb: opts.kb,
    onPublished: opts.onPublished,
    logger,
    now: () => new Date(now()),
    ...(opts.pollSeconds !== undefined ? { pollSeconds: opts.pollSeconds } : {}),
  });
  await workspace.start();
  const missed = createMissedLog({ store, logger, retentionDays: settings.missedRetentionDays, now });
  const insightsSettings = opts.insights ?? DEFAULT_INSIGHTS_SETTINGS;
  const insights = createInsightsRecorder({ store, logger, retentionDays: insightsSettings.retentionDays, now, minWriteIntervalMs: INSIGHTS_WRITE_INTERVAL_MS });
  const partners = await createPartnerBook({ store, logger, ...(opts.pollSeconds !== undefined ? { pollSeconds: opts.pollSeconds } : {}) });
  let desk = opts.desk;
  const hub = createLiveHub(opts.draining ? { draining: opts.draining } : {});
  const router = createAdminRouter({
    insights: { recorder: insights, settings: insightsSettings },
    store,
    workspace,
    missed,
    renderPreview: opts.renderPreview,
    logger,
    settings,
    smsShortFormSegments: opts.knowledge.smsShortFormSegments,
    now,
    cases: { partners, desk: () => desk },
  }, hub);
  logger.info('admin.started', { store: store.shared ? 'redis' : 'files', version: workspace.version() });
  return {
    router,
    recordMissed: (turn) => missed.record(turn),
    forgetMissed: (owner) => missed.forget(owner),
    recordTurn: (facts) => insights.recordTurn(facts),
    recordSms: (facts) => insights.recordSms(facts),
    insights,
    partners,
    useDesk(d) {
      desk = d;
    },
    workspace,
    store,
    async close() {
      hub.close();
      partners.close();
      await workspace.close();
      await insights.flush();
      if (!opts.store) await store.close();
    },
  };
}
