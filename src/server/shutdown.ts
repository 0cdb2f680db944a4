/**
 * Graceful shutdown (SIGTERM): stop accepting connections, answer every request already accepted
 * (HTTP requests and work that outlived its webhook), then close the store. Bounded: after
 * `timeoutMs` the remaining connections are cut, so an orchestrator's kill deadline is never reached.
 *
 * Keep-alive connections are where requests get lost: a client that just had an answer sends its
 * next request on the same connection at once, and closing that connection because it looked idle
 * resets the request on the wire. So while draining, every response carries `Connection: close`
 * (Node then ends the connection after it), and a connection that is idle is only closed once it
 * has stayed idle for the keep-alive grace: a request that arrives meanwhile is answered.
 */
import type { Server } from 'node:http';
import net, { type Socket } from 'node:net';
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
  /** How long an idle keep-alive connection is left open while draining (default 1 s, at most the server's keepAliveTimeout). */
  idleGraceMs?: number;
}

/** A server's graceful close. */
export interface GracefulClose {
  /** True once closing began: responses then carry `Connection: close`. */
  draining(): boolean;
  /** HTTP requests being answered now. */
  requestsInFlight(): number;
  /** Closes once (later calls return the same promise); resolves when the store is closed. */
  close(): Promise<void>;
}

/** A connection's requests being answered and since when it is idle. */
interface ConnectionState {
  active: number;
  idleSince: number;
}

/** Creates the graceful close of `server`. */
export function createGracefulClose(options: GracefulCloseOptions): GracefulClose {
  const { server, tasks, logger, timeoutMs } = options;
  const idleGraceMs = Math.min(options.idleGraceMs ?? 1000, server.keepAliveTimeout || 1000);
  const connections = new Map<Socket, ConnectionState>();
  let requests = 0;
  let answered = 0;
  let closing: Promise<void> | undefined;

  server.on('connection', (socket: Socket) => {
    connections.set(socket, { active: 0, idleSince: performance.now() });
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    const state = connections.get(socket);
    if (state) state.active += 1;
    requests += 1;
    res.once('close', () => {
      requests -= 1;
      if (closing) answered += 1;
      if (state) {
        state.active -= 1;
        state.idleSince = performance.now();
      }
    });
  });

  /** Closes connections that have no request and stayed idle past the grace. */
  const closeIdle = (): void => {
    const now = performance.now();
    for (const [socket, state] of connections) {
      if (state.active === 0 && now - state.idleSince >= idleGraceMs) socket.end();
    }
  };

  const run = async (): Promise<void> => {
    const started = performance.now();
    logger.info('server.draining', { requests, connections: connections.size, tasks: tasks.active() });
    // net.Server's close stops accepting without http.Server's immediate close of idle connections.
    const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
    const sweep = setInterval(closeIdle, 25);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const drained = await Promise.race([Promise.all([closed, tasks.idle(timeoutMs)]).then(() => true as const), deadline]);
    clearTimeout(timer);
    clearInterval(sweep);
    if (!drained) {
      logger.warn('server.shutdown_timeout', { inflight: tasks.active(), requests, timeoutMs });
      server.closeAllConnections();
    }
    try {
      await options.closeStore();
    } catch (err) {
      logger.error('server.store_close_failed', { error: err instanceof Error ? err.name : typeof err });
    }
    logger.info('server.stopped', { drained, answered, ms: Math.round(performance.now() - started) });
  };

  return {
    draining: () => closing !== undefined,
    requestsInFlight: () => requests,
    close() {
      closing ??= run();
      return closing;
    },
  };
}
