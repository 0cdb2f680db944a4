/**
 * Graceful shutdown (SIGTERM): stop accepting connections, let the turns in flight finish (HTTP
 * requests and work that outlived its webhook), then close the store. Bounded: after `timeoutMs`
 * the remaining connections are cut, so an orchestrator's kill deadline is never reached.
 */
import type { Server } from 'node:http';
import type { Logger } from '../domain/index.js';
import type { TaskTracker } from '../domain/index.js';

/** What a graceful close needs. */
export interface GracefulCloseOptions {
  server: Server;
  /** Work in flight outside HTTP requests (slow turns answered early). */
  tasks: TaskTracker;
  /** Closes the conversation store (Redis), after the last turn. */
  closeStore: () => Promise<void>;
  logger: Logger;
  /** Longest wait for turns in flight (SHUTDOWN_TIMEOUT_MS). */
  timeoutMs: number;
}

/** A server's graceful close. */
export interface GracefulClose {
  /** True once closing began: responses then carry `Connection: close`. */
  draining(): boolean;
  /** Closes once (later calls return the same promise); resolves when the store is closed. */
  close(): Promise<void>;
}

/** Creates the graceful close of `server`. */
export function createGracefulClose(options: GracefulCloseOptions): GracefulClose {
  const { server, tasks, logger, timeoutMs } = options;
  let closing: Promise<void> | undefined;

  const run = async (): Promise<void> => {
    const started = performance.now();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive sockets become idle once their last response is out: close them as they do.
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const drained = await Promise.race([Promise.all([closed, tasks.idle(timeoutMs)]).then(() => true as const), deadline]);
    clearTimeout(timer);
    clearInterval(sweep);
    if (!drained) {
      logger.warn('server.shutdown_timeout', { inflight: tasks.active(), timeoutMs });
      server.closeAllConnections();
    }
    try {
      await options.closeStore();
    } catch (err) {
      logger.error('server.store_close_failed', { error: err instanceof Error ? err.name : typeof err });
    }
    logger.info('server.stopped', { drained, ms: Math.round(performance.now() - started) });
  };

  return {
    draining: () => closing !== undefined,
    close() {
      closing ??= run();
      return closing;
    },
  };
}
