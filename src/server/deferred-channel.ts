/**
 * A channel whose platform SDK is loaded at its first use instead of at startup (botbuilder alone
 * took ~0.4 s of a 1.7 s start, the Twilio SDK and grammY ~0.1 s each): its webhook is mounted at
 * once, and the first request (or a case worker's reply, or the Telegram setup) builds the real
 * channel; later ones reuse it. A channel that fails to build is logged and built again on the
 * next use, and the request that met the failure gets a 500.
 */
import express, { type Router } from 'express';
import type { CaseAddress, CaseReacher, ChannelId, Lang, Logger } from '../domain/index.js';

/** What the real channel gives once built. */
export interface BuiltChannel {
  router: Router;
  reacher: CaseReacher;
}

/** A channel mounted before its SDK is loaded. */
export interface DeferredChannel<T extends BuiltChannel> {
  /** Serves the channel's webhook (POST at its mount path; other methods get the app's 405). */
  router: Router;
  /** Reaches users outside a turn through the real channel (built on first use). */
  reacher: CaseReacher;
  /** Builds the channel now (or returns the one built). */
  load(): Promise<T>;
}

/**
 * Defers building `channel` until first use. `build` imports the SDK and creates the channel; its
 * router must serve POST at its root only (as every SDK channel does), so that the 405 of other
 * methods is the same before and after it is built.
 */
export function deferChannel<T extends BuiltChannel>(channel: ChannelId, build: () => Promise<T>, logger: Logger): DeferredChannel<T> {
  let built: Promise<T> | undefined;
  const load = (): Promise<T> => {
    if (!built) {
      const started = performance.now();
      built = build().then(
        (c) => {
          logger.info('channel.loaded', { channel, ms: Math.round(performance.now() - started) });
          return c;
        },
        (err: unknown) => {
          built = undefined;
          logger.error('channel.load_failed', { channel, error: err instanceof Error ? err.name : 'unknown' });
          throw err;
        },
      );
    }
    return built;
  };
  const router = express.Router();
  router.post('/', (req, res, next) => {
    load().then((c) => c.router(req, res, next), next);
  });
  const reacher: CaseReacher = {
    channel,
    reach: async (address: CaseAddress, text: string, lang: Lang, lastUserAt: number | undefined) => (await load()).reacher.reach(address, text, lang, lastUserAt),
  };
  return { router, reacher, load };
}
