/**
 * How the desk reaches a user outside a turn: the web chat's outbox (which the desk keeps itself),
 * or the channel's `CaseReacher` with the decrypted address. Every outgoing message is recorded
 * in the case with its delivery state, and a failure is published as a `delivery` event so the
 * inbox shows it: nothing is dropped silently.
 */
import { randomBytes } from 'node:crypto';
import type { CaseAddress, CaseMessage, ChannelId, ConversationKey, Logger, ReachResult, CaseReacher } from '../domain/index.js';
import type { Sealer } from './crypto.js';
import { CaseStoreUnavailableError, type CaseStore, type StoredCase } from './store.js';

/** Sealing contexts: a sealed value opens only in the field and case it was sealed for. */
export const contexts = {
  message: (ref: string) => `${ref}:m`,
  address: (ref: string) => `${ref}:a`,
  callback: (ref: string) => `${ref}:n`,
  outbox: (key: ConversationKey) => `out:${key}`,
};

/** A message id that sorts by time. */
export function messageId(at: number): string {
  return `${Math.max(0, at).toString(36).padStart(9, '0')}${randomBytes(4).toString('hex')}`;
}

/** What delivery needs. */
export interface DeliveryDeps {
  store: CaseStore;
  sealer: Sealer;
  reachers: ReadonlyMap<ChannelId, CaseReacher>;
  logger: Logger;
  clock: () => number;
}

/** The error's class name, for logs (never its message, which may quote a platform's reply). */
export const errorName = (err: unknown): string => (err instanceof Error ? err.name : 'unknown');

/** Sends `text` to the user of case `c` on their channel. Store failures propagate; a reacher's failure is a result. */
export async function reach(deps: DeliveryDeps, c: StoredCase, text: string): Promise<ReachResult> {
  const s = c.summary;
  if (s.channel === 'web') {
    if (!c.key) return { ok: false, reason: 'no-channel' };
    const at = deps.clock();
    await deps.store.pushOutbox(c.key, { id: messageId(at), sealed: deps.sealer.seal(text, contexts.outbox(c.key)), at });
    return { ok: true, via: 'inbox' };
  }
  const reacher = deps.reachers.get(s.channel);
  if (!reacher) return { ok: false, reason: 'no-channel' };
  const contact = await deps.store.contact(s.ref);
  if (!contact.address) return { ok: false, reason: 'no-channel' };
  let address: CaseAddress;
  try {
    address = JSON.parse(deps.sealer.open(contact.address, contexts.address(s.ref))) as CaseAddress;
  } catch (err) {
    deps.logger.error('case.address_unreadable', { ref: s.ref, error: errorName(err) });
    return { ok: false, reason: 'failed' };
  }
  try {
    return await reacher.reach(address, text, s.lang, s.lastUserAt);
  } catch (err) {
    deps.logger.warn('case.reach_error', { ref: s.ref, channel: s.channel, error: errorName(err) });
    return { ok: false, reason: 'failed' };
  }
}

/** A delivery result as a message records it. */
export function deliveryOf(result: ReachResult): NonNullable<CaseMessage['delivery']> {
  return result.ok ? { state: 'sent', via: result.via } : { state: 'failed', reason: result.reason };
}

/**
 * Records an outgoing message (worker reply or system notice) as queued, sends it, records the
 * outcome and publishes it: `message` when it went, `delivery` when it failed. Resolves the
 * stored message with its delivery state.
 */
export async function sendAndRecord(
  deps: DeliveryDeps,
  c: StoredCase,
  message: { from: 'worker' | 'system'; text: string; by?: string; sent: string },
): Promise<Omit<CaseMessage, 'text'>> {
  const s = c.summary;
  const at = deps.clock();
  const id = messageId(at);
  const base = { id, from: message.from, at, ...(message.by ? { by: message.by } : {}) };
  await deps.store.addMessage(s.ref, { ...base, sealed: deps.sealer.seal(message.text, contexts.message(s.ref)), delivery: { state: 'queued' } });
  const result = await reach(deps, c, message.sent);
  const delivery = deliveryOf(result);
  const event = result.ok ? 'message' : 'delivery';
  if (result.ok) {
    deps.logger.info(message.from === 'worker' ? 'case.replied' : 'case.notice_sent', { ref: s.ref, partner: s.partnerId, channel: s.channel, via: result.via });
  } else {
    deps.logger.warn(message.from === 'worker' ? 'case.reply_failed' : 'case.notice_failed', { ref: s.ref, partner: s.partnerId, channel: s.channel, reason: result.reason });
  }
  try {
    await deps.store.setDelivery(s.ref, id, delivery);
    await deps.store.publish({ ref: s.ref, partnerId: s.partnerId, kind: event });
  } catch (err) {
    // What was sent is sent: the store failing now must not make it look unsent (and resent).
    if (!(err instanceof CaseStoreUnavailableError)) throw err;
    deps.logger.error('case.delivery_unrecorded', { ref: s.ref, partner: s.partnerId, channel: s.channel, state: delivery.state });
  }
  return { ...base, delivery };
}
