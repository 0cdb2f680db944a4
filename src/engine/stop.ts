/**
 * Marks a conversation stopped when the platform says the user cannot or will not receive
 * (Telegram 403 "bot was blocked by the user", a Twilio recipient that opted out). Channels get
 * it from `main.ts` as a plain function, so they never import the engine or the store.
 */
import type { ChannelId, ConversationKeyer, ConversationStore, Logger } from '../domain/index.js';

/** Marks the conversation of `userId` on `channel` stopped; never throws. */
export type StopMarker = (channel: ChannelId, userId: string) => Promise<void>;

/**
 * Creates the marker. It sets `state.stopped` in one store transaction. A conversation without
 * state (forgotten, expired) is left without state: the marker never writes data back for a user
 * who asked to be forgotten and then blocked the bot.
 */
export function createStopMarker(options: { store: ConversationStore; keyer: ConversationKeyer; logger: Logger }): StopMarker {
  const { store, keyer, logger } = options;
  return async (channel, userId) => {
    try {
      const existed = await store.transact(keyer.key(channel, userId), (state) =>
        state ? { state: { ...state, stopped: true }, result: true } : { state: null, result: false },
      );
      logger.info('conversation.stopped', { channel, existed });
    } catch (err) {
      logger.warn('conversation.stop_failed', { channel, error: err instanceof Error ? err.name : typeof err });
    }
  };
}
