/**
 * The case store in Redis, shared by every instance (node-redis through `state/redis`'s client
 * factory: one URL, Sentinel or Cluster; the configured prefix).
 *
 * Keys (no raw user id, no clear text in any of them):
 *   <prefix>case:{<ref>}:s        string: the case (summary JSON, conversation key, version)
 *   <prefix>case:{<ref>}:m        list: messages (JSON, text sealed), in order
 *   <prefix>case:{<ref>}:d        hash: message id -> delivery JSON
 *   <prefix>case:{<ref>}:a / :n   string: sealed address / sealed callback number
 *   <prefix>{cases}:all           sorted set: every ref, by opening time
 *   <prefix>{cases}:closed        sorted set: closed refs, by closing time (the sweep reads it)
 *   <prefix>{cases}:p:<partner>   set: refs of a partner
 *   <prefix>{cases}:k:<key>       set: refs of a conversation key (forget-me)
 *   <prefix>{cases}:audit         list: audit lines, newest first, bounded
 *   <prefix>case-out:{<key>}      list: the web chat's waiting replies (sealed), with a TTL
 * One case's keys share the `{<ref>}` hash tag, the indexes `{cases}`: every script touches one
 * slot. A closed case's keys get a TTL (retention + 1 day) behind the sweep. Live events go over the
 * pub/sub channel `<prefix>cases:events` (a subscription on its own connection).
 */
import { ErrorReply } from '@redis/client';
import { ConfigError, type AuditEntry, type CaseEvent, type ConversationKey, type Logger, type RedisTopology } from '../domain/index.js';
import { connectRedis, type RedisConnection } from '../state/redis/connection.js';
import type { Script } from '../state/redis/lua.js';
import * as lua from './redis-scripts.js';
import { CaseStoreUnavailableError, DEFAULT_STORE_LIMITS, indexChanges, type CaseStore, type CaseStoreLimits, type OutboxItem, type StoredCase, type StoredMessage } from './store.js';

export interface RedisCaseStoreOptions {
  topology: RedisTopology;
  /** The conversation store's prefix (REDIS_PREFIX); no braces. */
  prefix: string;
  commandTimeoutMs: number;
  logger: Logger;
  limits?: Partial<CaseStoreLimits>;
  connectTimeoutMs?: number;
  reconnectMaxDelayMs?: number;
}

/** Names of the store's keys. */
function keysOf(prefix: string) {
  const idx = `${prefix}{cases}:`;
  return {
    of: (ref: string) => {
      const base = `${prefix}case:{${ref}}:`;
      return { summary: `${base}s`, messages: `${base}m`, deliveries: `${base}d`, address: `${base}a`, callback: `${base}n` };
    },
    all: `${idx}all`,
    closed: `${idx}closed`,
    partner: (id: string) => `${idx}p:${id}`,
    key: (key: ConversationKey | undefined) => `${idx}k:${key ?? '-'}`,
    audit: `${idx}audit`,
    outbox: (key: ConversationKey) => `${prefix}case-out:{${key}}`,
    channel: `${prefix}cases:events`,
  };
}

/** A case's keys, summary first (as UPDATE wants them). */
const caseKeys = (k: ReturnType<ReturnType<typeof keysOf>['of']>): string[] => [k.summary, k.messages, k.deliveries, k.address, k.callback];

/** Runs a store operation; a failure for want of Redis becomes `CaseStoreUnavailableError`. */
async function guarded<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof ErrorReply) throw err;
    throw new CaseStoreUnavailableError(undefined, { cause: err });
  }
}

const strings = (reply: unknown): string[] => (Array.isArray(reply) ? reply.map(String) : []);

const EVENT_KINDS = new Set<CaseEvent['kind']>(['opened', 'message', 'claimed', 'transferred', 'closed', 'delivery']);

/** An event as received from the channel, checked (anything else on the channel is ignored). */
function eventOf(raw: string): CaseEvent | undefined {
  try {
    const e = JSON.parse(raw) as Partial<CaseEvent>;
    if (typeof e.ref === 'string' && typeof e.partnerId === 'string' && e.kind && EVENT_KINDS.has(e.kind)) return { ref: e.ref, partnerId: e.partnerId, kind: e.kind };
  } catch {
    // ignored below
  }
  return undefined;
}

/** Connects (resolving even while Redis is down: the store then starts unavailable and keeps trying). */
export async function createRedisCaseStore(opts: RedisCaseStoreOptions): Promise<CaseStore> {
  if (/[{}\s]/.test(opts.prefix)) throw new ConfigError('REDIS_PREFIX must not contain braces or spaces');
  const conn = await connectRedis({
    url: opts.topology.kind === 'standalone' ? opts.topology.url : '',
    topology: opts.topology,
    commandTimeoutMs: opts.commandTimeoutMs,
    connectTimeoutMs: opts.connectTimeoutMs ?? 5000,
    reconnectMaxDelayMs: opts.reconnectMaxDelayMs ?? 2000,
    logger: opts.logger,
    prefix: opts.prefix,
  });
  const limits = { ...DEFAULT_STORE_LIMITS, ...opts.limits };
  const keys = keysOf(opts.prefix);
  const events = createEvents(conn, keys.channel, opts.logger);
  // Events published from now on reach this instance (unless Redis is down: then once it is back).
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([events.ready, new Promise((resolve) => (timer = setTimeout(resolve, opts.connectTimeoutMs ?? 5000)))]);
  clearTimeout(timer);
  return {
    kind: 'redis',
    ...casesOf(conn, keys, limits),
    ...messagesOf(conn, keys),
    ...sidesOf(conn, keys, limits),
    publish: (event) => guarded(() => conn.call(() => conn.client.publish(keys.channel, JSON.stringify(event)))).then(() => undefined),
    subscribe: events.subscribe,
    onRecovered: (listener) => conn.outage.onRecovered(listener),
    async close() {
      await events.close();
      await conn.close();
    },
  };
}

type Keys = ReturnType<typeof keysOf>;
const run = (conn: RedisConnection, s: Script, k: string[], args: Array<string | number>): Promise<unknown> =>
  guarded(() => conn.run(s, k, args.map(String)));

/** Cases and their indexes. */
function casesOf(conn: RedisConnection, keys: Keys, limits: CaseStoreLimits): Pick<CaseStore, 'create' | 'get' | 'list' | 'refsOf' | 'update' | 'remove' | 'closedBefore'> {
  const get = async (ref: string): Promise<StoredCase | undefined> => {
    const raw = await guarded(() => conn.call(() => conn.client.get(keys.of(ref).summary)));
    return raw === null || raw === undefined ? undefined : (JSON.parse(String(raw)) as StoredCase);
  };
  /** The cases of `refs` that still exist; refs whose case is gone (expired) leave the indexes. */
  const load = async (refs: string[], partnerId?: string, key?: ConversationKey): Promise<StoredCase[]> => {
    const found = await Promise.all(refs.map((ref) => get(ref)));
    const gone = refs.filter((_, i) => !found[i]);
    for (const ref of gone) await run(conn, lua.INDEX_REMOVE, [keys.all, keys.closed, keys.partner(partnerId ?? '-'), keys.key(key)], [ref]);
    return found.filter((c): c is StoredCase => c !== undefined);
  };
  return {
    async create(c, contact) {
      const k = keys.of(c.summary.ref);
      const record: StoredCase = { ...c, v: 1 };
      const created = Number(await run(conn, lua.CREATE, [k.summary, k.address, k.callback], [JSON.stringify(record), contact.address ?? '', contact.callback ?? '']));
      // Indexed even when it existed: a retried open completes an index write an outage cut short.
      await run(conn, lua.INDEX_ADD, [keys.all, keys.partner(c.summary.partnerId), keys.key(c.key)], [c.summary.ref, c.summary.openedAt]);
      return created === 1;
    },
    get,
    async list(partnerId) {
      const refs = partnerId === undefined ? strings(await run(conn, lua.MEMBERS, [keys.all], [])) : strings(await guarded(() => conn.call(() => conn.client.sMembers(keys.partner(partnerId)))));
      const cases = await load(refs, partnerId);
      return partnerId === undefined ? cases : cases.filter((c) => c.summary.partnerId === partnerId);
    },
    async refsOf(key) {
      const refs = strings(await guarded(() => conn.call(() => conn.client.sMembers(keys.key(key)))));
      return (await load(refs, undefined, key)).filter((c) => c.key === key).map((c) => c.summary.ref);
    },
    async update(ref, change) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const current = await get(ref);
        if (!current) return undefined;
        const proposed = change(structuredClone(current));
        if (!proposed) return undefined;
        const next: StoredCase = { ...proposed, v: current.v + 1 };
        const ttl = next.summary.status === 'closed' ? limits.closedTtlMs : 0;
        const done = Number(await run(conn, lua.UPDATE, caseKeys(keys.of(ref)), [current.v, JSON.stringify(next), ttl]));
        if (done === -1) return undefined;
        if (done === 0) continue;
        const moved = indexChanges(current, next);
        if (moved.partnerMoved || moved.closed || moved.keyDropped) {
          await run(conn, lua.INDEX_CHANGE, [keys.closed, keys.partner(current.summary.partnerId), keys.partner(next.summary.partnerId), keys.key(current.key)], [
            ref,
            moved.partnerMoved ? 1 : 0,
            moved.closed ? (next.summary.closedAt ?? Date.now()) : '',
            moved.keyDropped ? 1 : 0,
          ]);
        }
        return next;
      }
      throw new Error('case store: a case kept changing during an update');
    },
    async remove(ref) {
      const c = await get(ref);
      await guarded(() => conn.call(() => conn.client.del(caseKeys(keys.of(ref)))));
      await run(conn, lua.INDEX_REMOVE, [keys.all, keys.closed, keys.partner(c?.summary.partnerId ?? '-'), keys.key(c?.key)], [ref]);
    },
    async closedBefore(before) {
      return strings(await run(conn, lua.BELOW, [keys.closed], [Math.floor(before)]));
    },
  };
}

/** Messages, deliveries and contact details of one case. */
function messagesOf(conn: RedisConnection, keys: Keys): Pick<CaseStore, 'addMessage' | 'messages' | 'setDelivery' | 'contact' | 'erase'> {
  return {
    async addMessage(ref, message) {
      const k = keys.of(ref);
      const { delivery, ...rest } = message;
      await run(conn, lua.ADD_MESSAGE, [k.summary, k.messages], [message.id, JSON.stringify(rest)]);
      if (delivery) await run(conn, lua.SET_DELIVERY, [k.summary, k.deliveries], [message.id, JSON.stringify(delivery)]);
    },
    async messages(ref) {
      const k = keys.of(ref);
      const [list, flat] = (await run(conn, lua.MESSAGES, [k.messages, k.deliveries], [])) as [unknown, unknown];
      const pairs = strings(flat);
      const deliveries = new Map<string, StoredMessage['delivery']>();
      for (let i = 0; i + 1 < pairs.length; i += 2) deliveries.set(pairs[i]!, JSON.parse(pairs[i + 1]!) as StoredMessage['delivery']);
      return strings(list).map((raw) => {
        const m = JSON.parse(raw) as StoredMessage;
        const delivery = deliveries.get(m.id);
        return delivery ? { ...m, delivery } : m;
      });
    },
    async setDelivery(ref, id, delivery) {
      const k = keys.of(ref);
      return Number(await run(conn, lua.SET_DELIVERY, [k.summary, k.deliveries], [id, JSON.stringify(delivery)])) === 1;
    },
    async contact(ref) {
      const k = keys.of(ref);
      const [address, callback] = await guarded(() => conn.call(() => conn.client.mGet([k.address, k.callback])));
      return { ...(typeof address === 'string' ? { address } : {}), ...(typeof callback === 'string' ? { callback } : {}) };
    },
    async erase(ref) {
      const k = keys.of(ref);
      await guarded(() => conn.call(() => conn.client.del([k.messages, k.deliveries, k.address, k.callback])));
    },
  };
}

/** The audit log and the web chat's outbox. */
function sidesOf(conn: RedisConnection, keys: Keys, limits: CaseStoreLimits): Pick<CaseStore, 'appendAudit' | 'audit' | 'trimAudit' | 'pushOutbox' | 'takeOutbox' | 'clearOutbox'> {
  return {
    async appendAudit(entry) {
      await run(conn, lua.AUDIT_PUSH, [keys.audit], [JSON.stringify(entry), limits.auditMaxEntries]);
    },
    async audit({ ref, limit }) {
      const out: AuditEntry[] = [];
      const page = ref === undefined ? limit : 1000;
      for (let start = 0; out.length < limit && start < limits.auditMaxEntries; start += page) {
        const rows = strings(await run(conn, lua.AUDIT_PAGE, [keys.audit], [start, start + page - 1]));
        for (const raw of rows) {
          const entry = JSON.parse(raw) as AuditEntry;
          if ((ref === undefined || entry.ref === ref) && out.length < limit) out.push(entry);
        }
        if (rows.length < page) break;
      }
      return out;
    },
    async trimAudit(before) {
      return Number(await run(conn, lua.AUDIT_TRIM, [keys.audit], [Math.floor(before), limits.auditMaxEntries]));
    },
    async pushOutbox(key, item) {
      await run(conn, lua.OUTBOX_PUSH, [keys.outbox(key)], [JSON.stringify(item), limits.outboxMax, limits.outboxTtlMs]);
    },
    async takeOutbox(key) {
      return strings(await run(conn, lua.OUTBOX_TAKE, [keys.outbox(key)], [])).map((raw) => JSON.parse(raw) as OutboxItem);
    },
    async clearOutbox(key) {
      await guarded(() => conn.call(() => conn.client.del([keys.outbox(key)])));
    },
  };
}

/** Live events: one subscription per store, on its own connection; node-redis restores it after a reconnection. */
function createEvents(conn: RedisConnection, channel: string, logger: Logger) {
  const listeners = new Set<(event: CaseEvent) => void>();
  const subscriber = conn.client.duplicate();
  let closed = false;
  subscriber.on('error', () => undefined); // the main connection reports outages
  const onMessage = (raw: string): void => {
    const event = eventOf(raw);
    if (!event) return;
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A subscriber's failure is its own; the others still hear the event.
      }
    }
  };
  const ready = subscriber
    .connect()
    .then(() => (closed ? undefined : subscriber.subscribe(channel, onMessage)))
    .catch((err: unknown) => {
      if (!closed) logger.warn('cases.redis.subscribe_failed', { error: err instanceof Error ? err.name : 'unknown' });
    });
  return {
    subscribe(listener: (event: CaseEvent) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    /** Resolves once the subscription is in place (tests wait for it before publishing). */
    ready,
    async close() {
      closed = true;
      listeners.clear();
      try {
        if (subscriber.isReady) await subscriber.close();
      } catch {
        // fall through to destroy
      }
      if (subscriber.isOpen) subscriber.destroy();
    },
  };
}
