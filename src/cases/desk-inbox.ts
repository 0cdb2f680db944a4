/**
 * The case workers' side of the desk. A case of another partner is reported as not found
 * (`undefined` / `false`) by every method, never as forbidden, so its existence is not given away.
 * Every read and every action by a person writes an audit line (no text, nothing about the user).
 */
import { CASE_OUTCOMES, type AuditEntry, type CaseActor, type CaseDesk, type CaseMessage, type CaseOutcome } from '../domain/index.js';
import { CaseInputError, type DeskContext } from './context.js';
import { contexts, errorName, sendAndRecord } from './delivery.js';
import { CaseStoreUnavailableError, KEY_PATTERN, REF_PATTERN, type StoredCase, type StoredMessage } from './store.js';

/** Outcomes a case worker may choose; `user-ended` and `forgotten` are the user's. */
const WORKER_OUTCOMES: readonly CaseOutcome[] = CASE_OUTCOMES.filter((o) => o !== 'user-ended' && o !== 'forgotten');

type Inbox = Omit<CaseDesk, 'open' | 'fromUser' | 'closeByUser' | 'forgetUser' | 'partners'>;

/** Whether `actor` may see case `c`: an admin of the Centre sees every case, a case worker their partner's. */
const visible = (actor: CaseActor, c: StoredCase | undefined): c is StoredCase =>
  c !== undefined && (actor.partnerId === undefined || actor.partnerId === c.summary.partnerId);

function checkActor(actor: CaseActor): void {
  if (!actor.username) throw new CaseInputError('a case worker must be named');
}

/** The case if `actor` may see it. */
async function caseFor(ctx: DeskContext, actor: CaseActor, ref: string): Promise<StoredCase | undefined> {
  checkActor(actor);
  if (!REF_PATTERN.test(ref)) return undefined;
  const c = await ctx.store.get(ref);
  return visible(actor, c) ? c : undefined;
}

async function audit(ctx: DeskContext, actor: CaseActor, ref: string, action: AuditEntry['action'], detail?: string): Promise<void> {
  await ctx.store.appendAudit({ at: ctx.clock(), username: actor.username, ref, action, ...(detail ? { detail } : {}) });
}

/** A stored message decrypted; one that does not open reads as empty text (and is logged). */
function opened(ctx: DeskContext, ref: string, m: StoredMessage): CaseMessage {
  const { sealed, ...rest } = m;
  try {
    return { ...rest, text: ctx.sealer.open(sealed, contexts.message(ref)) };
  } catch (err) {
    ctx.logger.error('case.message_unreadable', { ref, error: errorName(err) });
    return { ...rest, text: '' };
  }
}

/** `read`: the summary, the messages and, when the user asked for a call back, the number; audited. */
async function readCase(ctx: DeskContext, actor: CaseActor, ref: string): ReturnType<CaseDesk['read']> {
  const c = await caseFor(ctx, actor, ref);
  if (!c) return undefined;
  const [stored, contact] = await Promise.all([ctx.store.messages(ref), ctx.store.contact(ref)]);
  await audit(ctx, actor, ref, 'read');
  const messages = stored.map((m) => opened(ctx, ref, m)).sort((a, b) => a.at - b.at);
  let callbackNumber: string | undefined;
  if (c.summary.callback && contact.callback) {
    try {
      callbackNumber = ctx.sealer.open(contact.callback, contexts.callback(ref));
    } catch (err) {
      ctx.logger.error('case.callback_unreadable', { ref, error: errorName(err) });
    }
  }
  return { summary: c.summary, messages, ...(callbackNumber ? { callbackNumber } : {}) };
}

/** `reply`: records, delivers on the user's channel, records the delivery; a closed case takes no reply. */
async function replyTo(ctx: DeskContext, actor: CaseActor, ref: string, text: string): Promise<CaseMessage | undefined> {
  const body = text.trim();
  if (!body) throw new CaseInputError('a reply needs some text');
  let c: StoredCase | undefined;
  let message: Omit<CaseMessage, 'text'>;
  try {
    c = await caseFor(ctx, actor, ref);
    if (!c) return undefined;
    if (c.summary.status === 'closed') throw new CaseInputError('the case is closed: it takes no more replies');
    const sent = ctx.t(c.summary.lang, 'desk.reply', { org: ctx.orgName(c.summary.partnerId, c.summary.lang), text: body });
    message = await sendAndRecord(ctx, c, { from: 'worker', text: body, by: actor.username, sent });
  } catch (err) {
    if (!(err instanceof CaseStoreUnavailableError)) throw err;
    ctx.logger.warn('case.reply_failed', { ref, ...(c ? { partner: c.summary.partnerId, channel: c.summary.channel } : {}), reason: 'store-unavailable' });
    throw new CaseStoreUnavailableError('the case store is unavailable: the reply was not sent; try again in a moment', { cause: err });
  }
  try {
    await ctx.store.update(ref, (cur) => {
      if (cur.summary.status === 'closed') return undefined;
      const { waitingSince: _answered, ...summary } = cur.summary;
      return { ...cur, summary: summary.status === 'new' ? { ...summary, status: 'claimed', claimedBy: actor.username } : summary };
    });
    await audit(ctx, actor, ref, 'reply');
  } catch (err) {
    // The reply went out: say so, and log what could not be recorded.
    if (!(err instanceof CaseStoreUnavailableError)) throw err;
    ctx.logger.error('case.reply_unrecorded', { ref, partner: c.summary.partnerId });
  }
  return { ...message, text: body };
}

/** Tells the user of `c` something in their language; failures are recorded on the message and published. */
async function notify(ctx: DeskContext, c: StoredCase, key: string, values: Record<string, string>): Promise<void> {
  const text = ctx.t(c.summary.lang, key, values);
  await sendAndRecord(ctx, c, { from: 'system', text, sent: text });
}

/** `transfer`: to another active partner, with a reason; back to `new` there; the user is told. */
async function transferCase(ctx: DeskContext, actor: CaseActor, ref: string, toPartnerId: string, reason: string): Promise<boolean> {
  const why = reason.trim();
  if (!why) throw new CaseInputError('a transfer needs a reason');
  const to = ctx.partners.get(toPartnerId);
  if (!to || !to.active) throw new CaseInputError(`no active partner "${toPartnerId}" takes cases`);
  const before = await caseFor(ctx, actor, ref);
  if (!before || before.summary.status === 'closed' || before.summary.partnerId === toPartnerId) return false;
  const moved = await ctx.store.update(ref, (cur) => {
    if (!visible(actor, cur) || cur.summary.status === 'closed' || cur.summary.partnerId === toPartnerId) return undefined;
    const { claimedBy: _released, ...summary } = cur.summary;
    return { ...cur, summary: { ...summary, partnerId: toPartnerId, status: 'new', waitingSince: summary.waitingSince ?? ctx.clock() } };
  });
  if (!moved) return false;
  const at = ctx.clock();
  // The reason is a case worker's words: kept sealed in the case, for the next organisation.
  await ctx.store.addMessage(ref, { id: `${at.toString(36).padStart(9, '0')}t`, from: 'system', at, by: actor.username, sealed: ctx.sealer.seal(`→ ${toPartnerId}: ${why}`, contexts.message(ref)) });
  await audit(ctx, actor, ref, 'transfer', toPartnerId);
  await ctx.store.publish({ ref, partnerId: before.summary.partnerId, kind: 'transferred' });
  await ctx.store.publish({ ref, partnerId: toPartnerId, kind: 'transferred' });
  ctx.logger.info('case.transferred', { ref, partner: toPartnerId, from: before.summary.partnerId, channel: moved.summary.channel });
  await notify(ctx, moved, 'desk.transferred', { org: ctx.orgName(toPartnerId, moved.summary.lang) });
  return true;
}

/** `close`: with a case worker's outcome; the user is told briefly. */
async function closeCase(ctx: DeskContext, actor: CaseActor, ref: string, outcome: CaseOutcome): Promise<boolean> {
  if (!WORKER_OUTCOMES.includes(outcome)) throw new CaseInputError(`the outcome must be one of ${WORKER_OUTCOMES.join(', ')}`);
  if (!(await caseFor(ctx, actor, ref))) return false;
  const closed = await ctx.store.update(ref, (cur) => {
    if (!visible(actor, cur) || cur.summary.status === 'closed') return undefined;
    const { waitingSince: _w, ...summary } = cur.summary;
    return { ...cur, summary: { ...summary, status: 'closed', closedAt: ctx.clock(), outcome } };
  });
  if (!closed) return false;
  await audit(ctx, actor, ref, 'close', outcome);
  await ctx.store.publish({ ref, partnerId: closed.summary.partnerId, kind: 'closed' });
  ctx.logger.info('case.closed', { ref, partner: closed.summary.partnerId, channel: closed.summary.channel, outcome });
  await notify(ctx, closed, 'desk.closed', { org: ctx.orgName(closed.summary.partnerId, closed.summary.lang) });
  return true;
}

/** `claim`: a case worker takes an open case (taking it over from a colleague is audited as a claim too). */
async function claimCase(ctx: DeskContext, actor: CaseActor, ref: string): Promise<boolean> {
  if (!(await caseFor(ctx, actor, ref))) return false;
  const claimed = await ctx.store.update(ref, (cur) =>
    visible(actor, cur) && cur.summary.status !== 'closed' ? { ...cur, summary: { ...cur.summary, status: 'claimed', claimedBy: actor.username } } : undefined,
  );
  if (!claimed) return false;
  await audit(ctx, actor, ref, 'claim');
  await ctx.store.publish({ ref, partnerId: claimed.summary.partnerId, kind: 'claimed' });
  ctx.logger.info('case.claimed', { ref, partner: claimed.summary.partnerId });
  return true;
}

function matches(filter: Parameters<CaseDesk['list']>[1], c: StoredCase): boolean {
  if (!filter?.status) return true;
  return filter.status === 'open' ? c.summary.status !== 'closed' : c.summary.status === filter.status;
}

/** The inbox's operations over the desk's context. */
export function createInbox(ctx: DeskContext): Inbox {
  return {
    async list(actor, filter) {
      checkActor(actor);
      const cases = await ctx.store.list(actor.partnerId);
      return cases.filter((c) => visible(actor, c) && matches(filter, c)).map((c) => c.summary).sort((a, b) => b.openedAt - a.openedAt);
    },
    read: (actor, ref) => readCase(ctx, actor, ref),
    claim: (actor, ref) => claimCase(ctx, actor, ref),
    reply: (actor, ref, text) => replyTo(ctx, actor, ref, text),
    transfer: (actor, ref, to, reason) => transferCase(ctx, actor, ref, to, reason),
    close: (actor, ref, outcome) => closeCase(ctx, actor, ref, outcome),
    audit: (filter) => ctx.store.audit({ ...(filter?.ref ? { ref: filter.ref } : {}), limit: Math.min(Math.max(filter?.limit ?? 200, 1), 5000) }),
    subscribe: (listener) => ctx.store.subscribe(listener),
    async takeWebReplies(key) {
      if (!KEY_PATTERN.test(key)) return [];
      const items = await ctx.store.takeOutbox(key);
      const out: Array<{ id: string; text: string; at: number }> = [];
      for (const item of items) {
        try {
          out.push({ id: item.id, text: ctx.sealer.open(item.sealed, contexts.outbox(key)), at: item.at });
        } catch (err) {
          ctx.logger.error('case.outbox_unreadable', { error: errorName(err) });
        }
      }
      return out;
    },
    async sweep(now) {
      const refs = await ctx.store.closedBefore(now - ctx.retentionDays * 86_400_000);
      for (const ref of refs) await ctx.store.remove(ref);
      const trimmed = await ctx.store.trimAudit(now - ctx.auditDays * 86_400_000);
      if (refs.length > 0 || trimmed > 0) ctx.logger.info('case.swept', { cases: refs.length, auditLines: trimmed });
      return refs.length;
    },
  };
}
