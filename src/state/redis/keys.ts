/** Names of a conversation's Redis keys, and the hash under which a delivery id is stored. */
import { createHash } from 'node:crypto';
import { DalilError } from '../../domain/index.js';
import type { ConversationKey } from '../../domain/index.js';

/** Redis names of one conversation's keys. */
export interface ConversationRedisKeys {
  state: string;
  lock: string;
  deliveries: string;
  /** Rate-limit counter (`hit(key, 'rate', ...)`). */
  rate: string;
  /** SMS daily-cap counter (`hit(key, 'sms', ...)`). */
  sms: string;
}

const KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Returns the function that names a conversation's keys under `prefix` (layout: see redis.ts). The
 * `{<key>}` hash tag keeps them in one Redis Cluster slot; a key that is not a base64url hash is
 * refused, so nothing a user sent ever becomes part of a key name.
 */
export function conversationKeys(prefix: string): (key: ConversationKey) => ConversationRedisKeys {
  return (key) => {
    if (!KEY_PATTERN.test(key)) throw new DalilError('a conversation key must be a base64url hash');
    const base = `${prefix}c:{${key}}:`;
    return { state: `${base}s`, lock: `${base}l`, deliveries: `${base}d`, rate: `${base}r`, sms: `${base}m` };
  };
}

/** Every key of a conversation, as forgetting it deletes them. */
export const allKeysOf = (k: ConversationRedisKeys): string[] => [k.state, k.lock, k.deliveries, k.rate, k.sms];

/** Delivery ids are hashed: fixed length, and nothing a platform sent is stored verbatim. */
export function deliveryHash(deliveryId: string): string {
  return createHash('sha256').update(deliveryId).digest('base64url').slice(0, 16);
}
