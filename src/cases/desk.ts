/**
 * The case desk: keeps cases sealed in a `CaseStore`, routes them to partner organisations, and
 * delivers case workers' replies on the user's channel. `createCaseDesk` implements `CaseDesk`
 * (the conversation service's `CaseIntake` and the inbox's operations, in `desk-inbox.ts`).
 *
 * Logs name events (`case.opened`, `case.reply_failed` ...) with the reference, partner and
 * channel only: never a message's text, a phone number or a chat id.
 */
import type { CaseDesk, CaseIntake, CaseReacher, ChannelId, Lang, Logger, PartnerRegistry, Translate } from '../domain/index.js';
import { CaseInputError, type DeskContext } from './context.js';
import type { Sealer } from './crypto.js';
import { contexts, messageId } from './delivery.js';
import { createInbox } from './desk-inbox.js';
import { createPendingQueue, type PendingQueue, type PendingUserMessage } from './pending.js';
import { CaseStoreUnavailableError, KEY_PATTERN, REF_PATTERN, type CaseStore, type StoredCase } from './store.js';

/** What `createCaseDesk` needs. */
export interface CaseDeskDeps {
  store: CaseStore;
  sealer: Sealer;
  /** Each channel's way to reach a user outside a turn; the web chat's is the desk's own outbox. */
  reachers: ReadonlyMap<ChannelId, CaseReacher>;
  partners: PartnerRegistry;
  t: Translate;
  logger: Logger;
  clock?: () => number;
  /** Days a closed case is kept before `sweep` deletes it. */
  retentionDays: number;
  /** Days audit lines are kept (default 365; they hold no personal data). */
  auditDays?: number;
  /** The organisation's name in a language (from content/organisations.yaml); default: its id. */
  orgName?: (orgId: string, lang: Lang) => string | undefined;
  /** Bound and retry delay of the outage queue of users' messages. */
  pending?: { max?: number; retryMs?: number };
}

/** A case desk that can also be shut down. */
export interface RunningCaseDesk extends CaseDesk {
  /** Users' messages waiting for the store (Redis down). */
  pendingCount(): number;
  /** Stores what waits now (also done on recovery and on a timer). */
  flushPending(): Promise<void>;
  /** Stops the outage queue's timer and closes the store (`close` is the inbox's: it closes a case). */
  shutdown(): Promise<void>;
}

/** Stores one user message into its case (the path of live messages and of the outage queue). */
async function storeUserMessage(ctx: DeskContext, m: PendingUserMessage): Promise<void> {
  const c = await ctx.store.get(m.ref);
  if (!c || c.key !== m.key) {
    ctx.logger.warn('case.message_unknown_case', { ref: m.ref });
    return;
  }
  if (c.summary.status === 'closed') {
    ctx.logger.info('case.message_after_close', { ref: m.ref, partner: c.summary.partnerId });
    return;
  }
  await ctx.store.addMessage(m.ref, { id: m.id, from: 'user', at: m.at, sealed: m.sealed });
  await ctx.store.update(m.ref, (cur) =>
    cur.key === m.key && cur.summary.status !== 'closed'
      ? { ...cur, summary: { ...cur.summary, lastUserAt: Math.max(cur.summary.lastUserAt ?? 0, m.at), waitingSince: cur.summary.waitingSince ?? m.at } }
      : undefined,
  );
  await ctx.store.publish({ ref: m.ref, partnerId: c.summary.partnerId, kind: 'message' });
  ctx.logger.info('case.message_in', { ref: m.ref, partner: c.summary.partnerId, channel: c.summary.channel });
}

/** The phone number a call back would use: only on SMS and WhatsApp, where the address is one. */
function phoneOf(channel: ChannelId, userId: string): string | undefined {
  if (channel !== 'sms' && channel !== 'whatsapp') return undefined;
  const number = userId.replace(/^whatsapp:/, '');
  return /^\+?\d{6,15}$/.test(number) ? number : undefined;
}

/** `open`: validates, seals the address (and the number when a call back was asked), stores, announces. */
function openOf(ctx: DeskContext): CaseIntake['open'] {
  return async (input) => {
    const { ref, key, partnerId, address, intake } = input;
    if (!REF_PATTERN.test(ref)) throw new CaseInputError('a case reference must be 3-40 letters, digits or dashes');
    if (!KEY_PATTERN.test(key)) throw new CaseInputError('a conversation key must be a base64url hash');
    if (!ctx.partners.get(partnerId)) throw new CaseInputError(`no partner "${partnerId}" takes cases`);
    const summary: StoredCase['summary'] = {
      ref,
      partnerId,
      status: 'new',
      channel: address.channel,
      lang: input.lang,
      ...(intake.topic ? { topic: intake.topic } : {}),
      ...(intake.city ? { city: intake.city } : {}),
      ...(input.urgency ? { urgency: input.urgency } : {}),
      ...(intake.safeToContact !== undefined ? { safeToContact: intake.safeToContact } : {}),
      ...(intake.callback !== undefined ? { callback: intake.callback } : {}),
      openedAt: input.at,
      waitingSince: input.at,
    };
    const phone = intake.callback ? phoneOf(address.channel, address.userId) : undefined;
    const contact = {
      address: ctx.sealer.seal(JSON.stringify(address), contexts.address(ref)),
      ...(phone ? { callback: ctx.sealer.seal(phone, contexts.callback(ref)) } : {}),
    };
    if (!(await ctx.store.create({ summary, key }, contact))) {
      ctx.logger.info('case.open_repeated', { ref });
      return;
    }
    await ctx.store.publish({ ref, partnerId, kind: 'opened' });
    ctx.logger.info('case.opened', { ref, partner: partnerId, channel: address.channel, urgent: input.urgency !== undefined });
  };
}

/** `forgetUser`: closes every case of the key as forgotten, erases messages, contact, outbox and queued messages. */
function forgetOf(ctx: DeskContext, pending: PendingQueue): CaseIntake['forgetUser'] {
  return async (key) => {
    if (!KEY_PATTERN.test(key)) throw new CaseInputError('a conversation key must be a base64url hash');
    const dropped = pending.drop(key);
    const refs = await ctx.store.refsOf(key);
    const at = ctx.clock();
    for (const ref of refs) {
      const before = await ctx.store.get(ref);
      await ctx.store.update(ref, (cur) => {
        if (cur.key !== key) return undefined;
        const { key: _gone, ...rest } = cur;
        if (rest.summary.status === 'closed') return rest;
        const { waitingSince: _w, ...summary } = rest.summary;
        return { ...rest, summary: { ...summary, status: 'closed', closedAt: at, outcome: 'forgotten' } };
      });
      await ctx.store.erase(ref);
      if (before && before.summary.status !== 'closed') await ctx.store.publish({ ref, partnerId: before.summary.partnerId, kind: 'closed' });
    }
    await ctx.store.clearOutbox(key);
    ctx.logger.info('case.forgotten', { cases: refs.length, queued: dropped });
  };
}

/** The desk's parts, with their defaults. */
function contextOf(deps: CaseDeskDeps): DeskContext {
  return {
    store: deps.store,
    sealer: deps.sealer,
    reachers: deps.reachers,
    logger: deps.logger,
    clock: deps.clock ?? Date.now,
    partners: deps.partners,
    t: deps.t,
    retentionDays: deps.retentionDays,
    auditDays: deps.auditDays ?? 365,
    orgName(partnerId, lang) {
      const orgId = deps.partners.get(partnerId)?.orgId ?? partnerId;
      return deps.orgName?.(orgId, lang) ?? orgId;
    },
  };
}

/** Creates the case desk over `deps.store`. */
export function createCaseDesk(deps: CaseDeskDeps): RunningCaseDesk {
  if (!Number.isInteger(deps.retentionDays) || deps.retentionDays < 1) throw new CaseInputError('retentionDays must be a whole number of days, at least 1');
  const ctx = contextOf(deps);
  const pending = createPendingQueue({ store: (m) => storeUserMessage(ctx, m), logger: ctx.logger, ...deps.pending });
  deps.store.onRecovered(() => void pending.flush());
  const inbox = createInbox(ctx);
  return {
    ...inbox,
    open: openOf(ctx),
    async fromUser({ ref, key, text, at }) {
      if (!REF_PATTERN.test(ref) || !KEY_PATTERN.test(key)) throw new CaseInputError('a case reference or conversation key is malformed');
      const m: PendingUserMessage = { id: messageId(at), ref, key, at, sealed: ctx.sealer.seal(text, contexts.message(ref)) };
      // Behind queued messages: keep the order, and try the store again now.
      if (pending.size() > 0) {
        pending.push(m);
        void pending.flush();
        return;
      }
      try {
        await storeUserMessage(ctx, m);
      } catch (err) {
        if (!(err instanceof CaseStoreUnavailableError)) throw err;
        pending.push(m);
      }
    },
    async closeByUser({ ref, key, at }) {
      const closed = await ctx.store.update(ref, (cur) => {
        if (cur.key !== key || cur.summary.status === 'closed') return undefined;
        const { waitingSince: _w, ...summary } = cur.summary;
        return { ...cur, summary: { ...summary, status: 'closed', closedAt: at, outcome: 'user-ended' } };
      });
      if (!closed) return;
      await ctx.store.publish({ ref, partnerId: closed.summary.partnerId, kind: 'closed' });
      ctx.logger.info('case.closed', { ref, partner: closed.summary.partnerId, channel: closed.summary.channel, outcome: 'user-ended' });
    },
    forgetUser: forgetOf(ctx, pending),
    partners: () => deps.partners.list().filter((p) => p.active),
    pendingCount: () => pending.size(),
    flushPending: () => pending.flush(),
    async shutdown() {
      pending.close();
      await deps.store.close();
    },
  };
}

export { CaseInputError };
