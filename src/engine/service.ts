/**
 * The conversation service: what channel adapters call (as a `TurnHandler`). It keys the user,
 * drops retried deliveries, runs the engine inside the store's atomic read-modify-write, and
 * turns any failure into a short apology in the user's language.
 */
import type {
  ConversationKeyer,
  ConversationStore,
  Lang,
  Logger,
  Reply,
  TurnHandler,
  TurnRequest,
  TurnResponse,
} from '../domain/index.js';
import { handleTurn, langOfHint } from './handle-turn.js';
import type { EngineDeps, EngineTurnResult } from './types.js';

/** What `createConversationService` needs. */
export interface ConversationServiceOptions {
  store: ConversationStore;
  keyer: ConversationKeyer;
  /** The engine's dependencies; capabilities come with each request. */
  deps: Omit<EngineDeps, 'capabilities'>;
  logger: Logger;
  /** Monotonic clock in milliseconds, for the latency field of `turn.handled` (default `performance.now`). */
  clock?: () => number;
}

/** The name of an error for logs: its class name, never its message (which may quote user text). */
function errorName(err: unknown): string {
  return err instanceof Error ? err.name || 'Error' : typeof err;
}

/** Creates the `TurnHandler` channel adapters receive from `main.ts`. */
export function createConversationService(options: ConversationServiceOptions): TurnHandler {
  const { store, keyer, deps, logger } = options;
  const clock = options.clock ?? (() => performance.now());

  return async (request: TurnRequest): Promise<TurnResponse> => {
    const started = clock();
    const { message, capabilities } = request;
    const channel = message.channel;
    // The raw user id is hashed at once and never logged or stored.
    const key = keyer.key(channel, request.userId);
    let lang: Lang = langOfHint(message.localeHint) ?? deps.defaultLang;
    try {
      if (request.deliveryId !== undefined && !(await store.markDelivery(key, request.deliveryId))) {
        logger.info('turn.duplicate', { channel });
        const known = await store.get(key).catch(() => undefined);
        return { replies: [], duplicate: true, lang: known?.lang ?? lang };
      }
      const out = await store.transact<EngineTurnResult>(key, (state) => {
        if (state?.lang) lang = state.lang;
        const result = handleTurn(message, state, { ...deps, capabilities });
        return { state: result.state, result };
      });
      lang = out.meta.lang;
      for (const event of out.events) {
        logger.info(event.name, { channel, topic: event.topic, value: event.value });
      }
      logger.info('turn.handled', {
        channel,
        intent: out.meta.intent,
        confidence: out.meta.confidence !== undefined ? Math.round(out.meta.confidence * 1000) / 1000 : undefined,
        lang,
        replies: out.replies.length,
        forgotten: out.state === null ? true : undefined,
        latencyMs: Math.round(clock() - started),
      });
      return { replies: out.replies, duplicate: false, lang };
    } catch (err) {
      logger.error('engine.turn_failed', { channel, error: errorName(err), latencyMs: Math.round(clock() - started) });
      const apology: Reply = { kind: 'error', text: deps.t(lang, 'error.apology'), lang };
      return { replies: [apology], duplicate: false, lang };
    }
  };
}
