/**
 * The express application: web chat and `/api/chat`, channel webhooks, health, and error
 * handling that never leaks a stack trace. Channel routers are built elsewhere and mounted here.
 */
import { ServerResponse } from 'node:http';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Logger, StoreHealth } from '../domain/index.js';
import { methodsAt, pathInside } from '../domain/http-methods.js';

/** A channel's express router and where it is mounted. */
export interface ChannelMount {
  /** Channel name for logs and /healthz. */
  name: string;
  /** Mount path, e.g. "/webhooks/telegram". */
  path: string;
  router: Router;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  state: StoreHealth;
  channels: string[];
  content: string;
}

export interface AppOptions {
  mounts: ChannelMount[];
  health: () => Promise<HealthReport>;
  logger: Logger;
  /** True while shutting down: requests still served on open connections are answered with `Connection: close`. */
  draining?: () => boolean;
  /**
   * Which proxies' X-Forwarded-For is believed for `req.ip` (express "trust proxy"; TRUST_PROXY).
   * Default: proxies on loopback and private networks only, so a client on the internet cannot
   * pick its own address (the admin's login limit counts per address).
   */
  trustProxy?: boolean | number | string;
  /** Told the status of every response of a mount (metrics: webhook status codes). */
  onResponse?: (mount: string, status: number) => void;
  /**
   * Gives each request an id (the proxy's `X-Request-Id` when safe, else a fresh one), returned in
   * `X-Request-Id` and carried by every log line of its turn: `id` picks it, `run` runs the request in it.
   */
  requestIds?: { id(header: string | undefined): string; run(id: string, fn: () => void): void };
  /** Serves `GET /metrics` (absent: 404 like any unknown path). */
  metrics?: RequestHandler;
}

/** Default of `AppOptions.trustProxy`. */
export const DEFAULT_TRUST_PROXY = 'loopback, linklocal, uniquelocal';

/** Builds the app. Body parsers are set per router (JSON, form) by each channel. */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? DEFAULT_TRUST_PROXY);

  const requestIds = options.requestIds;
  if (requestIds) {
    app.use((req, res, next) => {
      const id = requestIds.id(req.get('x-request-id'));
      res.setHeader('X-Request-Id', id);
      requestIds.run(id, () => next());
    });
  }

  if (options.draining) {
    const draining = options.draining;
    // Decided when the headers go out, so a request that began before SIGTERM is covered too.
    // One wrapper for every response (over the prototype's writeHead), not a closure per request.
    const writeHead = ServerResponse.prototype.writeHead;
    const closingWriteHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
      if (draining() && !this.headersSent) this.setHeader('Connection', 'close');
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as Response['writeHead'];
    app.use((_req, res, next) => {
      if (res.writeHead === writeHead) res.writeHead = closingWriteHead;
      else {
        const own = res.writeHead;
        res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
          if (draining() && !this.headersSent) this.setHeader('Connection', 'close');
          return own.apply(this, args);
        } as Response['writeHead'];
      }
      next();
    });
  }

  app.get('/healthz', async (_req, res) => {
    try {
      const report = await options.health();
      res.status(200).json(report);
    } catch {
      res.status(200).json({ status: 'degraded' });
    }
  });

  if (options.metrics) app.get('/metrics', options.metrics);

  const onResponse = options.onResponse;
  for (const m of options.mounts) {
    if (onResponse) {
      app.use(m.path, (_req, res, next) => {
        res.once('finish', () => onResponse(m.name, res.statusCode));
        next();
      });
    }
    app.use(m.path, m.router);
  }

  // A path that exists under other methods: 405 with the methods it has.
  app.use((req, res, next) => {
    const allow = new Set<string>(req.path === '/healthz' ? ['GET', 'HEAD'] : []);
    for (const m of options.mounts) {
      const inside = pathInside(m.path, req.path);
      if (inside !== undefined) for (const method of methodsAt(m.router, inside)) allow.add(method);
    }
    if (allow.size === 0 || allow.has(req.method)) return next();
    res.set('Allow', [...allow].join(', ')).status(405).json({ error: 'method not allowed' });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  // Four arguments make this express's error handler; bad JSON or forms arrive here as 400s.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; statusCode?: number; type?: string; name?: string };
    const status = e.status ?? e.statusCode ?? 500;
    if (status >= 500) {
      options.logger.error('http.unhandled_error', { path: req.path, error: e.name ?? 'Error' });
    } else {
      options.logger.warn('http.bad_request', { path: req.path, status, type: e.type ?? e.name ?? 'unknown' });
    }
    if (res.headersSent) return;
    const message =
      status === 413
        ? 'request too large'
        : status >= 500
          ? 'internal error'
          : e.type === 'entity.parse.failed'
            ? 'malformed request body'
            : e.type === 'entity.too_deep'
              ? 'request body nested too deeply'
              : 'bad request';
    res.status(status).json({ error: message });
  });

  return app;
}
