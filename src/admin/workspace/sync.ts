/**
 * Keeping instances in step through a shared store: at start, the version published so far and
 * the overrides not yet deployed as files are applied; afterwards every announced version is
 * reloaded, and a periodic check catches an announcement this instance missed.
 */
import type { Logger } from '../../domain/index.js';
import type { AdminStore } from '../store/port.js';
import type { LiveContent } from './live.js';
import type { PublishedContent } from './published.js';

/** Options of `createSync`. */
export interface SyncOptions {
  store: AdminStore;
  live: LiveContent;
  published: PublishedContent;
  logger: Logger;
  /** Seconds between checks for a missed announcement (default 30; 0: never). */
  pollSeconds?: number;
}

/** Starts and stops following the shared store. */
export function createSync(opts: SyncOptions): { start(): Promise<void>; close(): Promise<void> } {
  const { store, live } = opts;
  let poll: NodeJS.Timeout | undefined;

  /** The version published so far, or -1 when the store is down (the poll applies it later). */
  const readVersion = async (): Promise<number> => {
    try {
      return (await store.get<number>('meta', 'version')) ?? 0;
    } catch (err) {
      // The shared store is down: serve the files for now; the poll applies what was published.
      opts.logger.error('admin.start_degraded', { error: err instanceof Error ? err.name : 'unknown' });
      return -1;
    }
  };

  /** Applies the overrides that differ from the deployed files; drops the others. */
  const applyOverrides = async (): Promise<void> => {
    if ((await opts.published.dropDeployed()) === 0) return;
    const target = live.version();
    live.setVersion(-1);
    await live.reload(Math.max(0, target));
  };

  const startPolling = (): void => {
    const every = (opts.pollSeconds ?? 30) * 1000;
    if (every <= 0) return;
    poll = setInterval(() => {
      store.get<number>('meta', 'version').then(
        (v) => (v !== undefined && v > live.version() ? live.reload(v) : live.version() < 0 ? live.reload(0) : undefined),
        () => undefined,
      );
    }, every);
    poll.unref();
  };

  return {
    async start() {
      live.setVersion(await readVersion());
      if (!store.shared) return;
      if (live.version() >= 0) await applyOverrides();
      await store.onAnnounce((v) => void live.reload(v));
      startPolling();
    },
    async close() {
      if (poll) clearInterval(poll);
      await live.settled();
    },
  };
}
