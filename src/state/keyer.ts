import { createHmac } from 'node:crypto';
import type { ChannelId, ConversationKey, ConversationKeyer } from '../domain/index.js';

/**
 * Keys conversations by HMAC-SHA256(secret, channel + ":" + userId), base64url.
 * Without the secret a key cannot be linked back to a phone number or chat id.
 */
export function createHmacKeyer(secret: string): ConversationKeyer {
  if (!secret) throw new Error('an HMAC secret is required to key conversations');
  return {
    key(channel: ChannelId, userId: string): ConversationKey {
      return createHmac('sha256', secret).update(`${channel}:${userId}`).digest('base64url') as ConversationKey;
    },
  };
}
