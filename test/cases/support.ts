/**
 * Shared pieces of the case desk tests: partners, a recording reacher, a logger whose lines the
 * tests read, a desk over any store, and what a user's case looks like when it is opened.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseAddress, CaseReacher, ChannelId, ConversationKey, Partner, ReachResult, Translate } from '../../src/domain/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createSealer } from '../../src/cases/crypto.js';
import { createCaseDesk, type CaseDeskDeps, type RunningCaseDesk } from '../../src/cases/desk.js';
import { staticPartners } from '../../src/cases/partners.js';
import type { CaseStore } from '../../src/cases/store.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let translator: Promise<Translate> | undefined;
/** The real interface strings (locales/). */
export const translate = (): Promise<Translate> => (translator ??= createTranslator(path.join(ROOT, 'locales')));

const HOURS = { tz: 'Africa/Casablanca', days: {} };
export const PARTNER_A: Partner = { id: 'org-a', orgId: 'caritas', topics: [], cities: [], langs: ['fr', 'en'], hours: HOURS, active: true };
export const PARTNER_B: Partner = { id: 'org-b', orgId: 'gadem', topics: [], cities: [], langs: ['fr', 'ar'], hours: HOURS, active: true };
export const PARTNER_OFF: Partner = { id: 'org-off', orgId: 'off', topics: [], cities: [], langs: ['fr'], hours: HOURS, active: false };
export const partners = staticPartners([PARTNER_A, PARTNER_B, PARTNER_OFF]);

export const ADMIN = { username: 'centre-admin' };
export const WORKER_A = { username: 'amina', partnerId: PARTNER_A.id };
export const WORKER_B = { username: 'badr', partnerId: PARTNER_B.id };

/** A random 32-byte key. */
export const newKey = (): Buffer => randomBytes(32);

/** Log lines (JSON) written by the desk. */
export function recordingLogger() {
  const lines: string[] = [];
  const logger = createLogger('debug', (line) => lines.push(line));
  return { logger, lines, events: () => lines.map((l) => JSON.parse(l) as { event: string } & Record<string, unknown>) };
}

/** A reacher that records what it was asked to send and answers `result` (or throws when `result` is an Error). */
export function recordingReacher(channel: ChannelId, result: ReachResult | Error = { ok: true, via: 'text' }) {
  const sent: Array<{ address: CaseAddress; text: string; lang: string; lastUserAt: number | undefined }> = [];
  const reacher: CaseReacher & { result: ReachResult | Error } = {
    channel,
    result,
    async reach(address, text, lang, lastUserAt) {
      sent.push({ address, text, lang, lastUserAt });
      if (reacher.result instanceof Error) throw reacher.result;
      return reacher.result;
    },
  };
  return { reacher, sent };
}

/** A fresh conversation key (what the keyer makes: base64url). */
export const newConversationKey = (): ConversationKey => randomBytes(32).toString('base64url') as ConversationKey;
/** A fresh case reference. */
export const newRef = (): string => `D-${randomBytes(3).toString('hex').toUpperCase()}`;

/** A desk over `store` with a recording Telegram and SMS reacher; the clock is settable. */
export async function deskOver(store: CaseStore, extra: Partial<CaseDeskDeps> = {}) {
  const telegram = recordingReacher('telegram');
  const sms = recordingReacher('sms');
  const log = recordingLogger();
  const clock = { now: Date.UTC(2026, 11, 1, 10) };
  const key = newKey();
  const desk: RunningCaseDesk = createCaseDesk({
    store,
    sealer: createSealer([key]),
    reachers: new Map<ChannelId, CaseReacher>([
      ['telegram', telegram.reacher],
      ['sms', sms.reacher],
    ]),
    partners,
    t: await translate(),
    logger: log.logger,
    clock: () => clock.now,
    retentionDays: 30,
    orgName: (orgId) => `Org ${orgId}`,
    ...extra,
  });
  return { desk, telegram, sms, log, clock, key };
}

/** Opens a case for a fresh user; resolves its reference and key. */
export async function openCase(
  desk: RunningCaseDesk,
  opts: { partnerId?: string; channel?: ChannelId; userId?: string; callback?: boolean; at?: number; lang?: 'fr' | 'en' | 'ar' | 'es'; key?: ConversationKey } = {},
) {
  const ref = newRef();
  const key = opts.key ?? newConversationKey();
  const channel = opts.channel ?? 'telegram';
  const userId = opts.userId ?? (channel === 'sms' ? '+212600112233' : channel === 'web' ? 'web-client-1' : '987654321');
  await desk.open({
    ref,
    key,
    partnerId: opts.partnerId ?? PARTNER_A.id,
    lang: opts.lang ?? 'fr',
    intake: { topic: 'arrest', city: 'rabat', safeToContact: true, ...(opts.callback !== undefined ? { callback: opts.callback } : {}) },
    address: { channel, userId },
    at: opts.at ?? Date.UTC(2026, 11, 1, 9),
  });
  return { ref, key, userId };
}
