/**
 * Whether a case worker's SMS may go to a user outside a turn, by the rules every SMS reply
 * follows: never after STOP, within the user's daily cap (counted in the same counter as the
 * conversation's replies) and within the global segment budget of the hour and the day (spent in
 * the same counters). Channels get it from `main.ts` as a plain function.
 */
import type { ChannelId, ConversationKeyer, ConversationStore, Logger } from '../domain/index.js';
import { SMS_CAP_WINDOW_SECONDS, type TurnLimits } from './limits.js';

/** The answer: `ok` (and the segments are spent), or why not. */
export type SmsAllowed = 'ok' | 'stopped' | 'over-budget';

/** Creates the check; a store that cannot answer lets the message through, as turns do (Redis down counts 0). */
export function createSmsAllowance(options: { store: ConversationStore; keyer: ConversationKeyer; limits: TurnLimits; logger: Logger }): (channel: ChannelId, userId: string, segments: number) => Promise<SmsAllowed> {
  const { store, keyer, limits, logger } = options;
  const budgets = [
    { window: 'hour', seconds: 3600, limit: limits.smsSegmentsPerHour ?? 0 },
    { window: 'day', seconds: 86_400, limit: limits.smsSegmentsPerDay ?? 0 },
  ].filter((b) => b.limit > 0);
  return async (channel, userId, segments) => {
    const key = keyer.key(channel, userId);
    const state = await store.get(key);
    if (state?.stopped) return 'stopped';
    const cap = limits.smsDailyCap ?? 0;
    if (cap > 0 && (await store.hit(key, 'sms', SMS_CAP_WINDOW_SECONDS)) > cap) {
      logger.info('case.sms_capped', { channel });
      return 'over-budget';
    }
    for (const { window, seconds, limit } of budgets) {
      if ((await store.spend(`sms-segments:${window}`, segments, seconds)) > limit) {
        logger.warn('case.sms_over_budget', { window, limit });
        return 'over-budget';
      }
    }
    return 'ok';
  };
}
