/**
 * `/metrics` in the Prometheus text format (prom-client), one registry per running Dalil.
 *
 * Fed by small hooks, never by reading logs, and never at the cost of a Redis round trip: the
 * conversation service's turn facts, the delivery pipeline's send reports, the Redis store's calls
 * (timed as they happen) and its last known availability (read when scraped), the HTTP responses
 * of each mount. Labels come from fixed vocabularies only (channel, language, outcome, failure
 * kind, mount name, status code): never a user id, a phone number, a conversation key or message text.
 *
 * Off unless configured: `METRICS_TOKEN` serves it on the main port behind `Authorization: Bearer`,
 * `METRICS_PORT` on a separate listener (for a private network; with the token there too when set).
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DeliveryFact, StoreCallFact, TurnFacts } from '../domain/index.js';

/** The metrics of one running Dalil, and the hooks that feed them. */
export interface DalilMetrics {
  readonly registry: Registry;
  /** One turn's facts from the conversation service (its insights facts: only channel, language, outcome and latency are used). */
  onTurn(facts: TurnFacts): void;
  onDelivered(fact: DeliveryFact): void;
  onStoreCall(fact: StoreCallFact): void;
  /** Counts one HTTP response of a mount (a channel's webhook, the admin, the web chat). */
  onResponse(mount: string, status: number): void;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Last known Redis availability, without a round trip; absent with memory state. */
  redisUp?: () => boolean;
  /** Forget-me deletions waiting for Redis, if the store keeps a queue. */
  pendingDeletes?: () => number;
}

const TURN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const REDIS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** Only short lower-case words reach a label (defence in depth: the hooks already pass fixed values). */
function word(value: string): string {
  return /^[a-z][a-z0-9_-]{0,23}$/.test(value) ? value : 'other';
}

export function createMetrics(options: MetricsOptions = {}): DalilMetrics {
  const registry = new Registry();
  // Process metrics: heap, event-loop lag, CPU, open handles, GC.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const turns = new Counter({ name: 'dalil_turns_total', help: 'Turns the engine ran, by channel, language and outcome (answered, directory, handoff, did-you-mean, out-of-scope, feedback, urgent, other, failed)', labelNames: ['channel', 'lang', 'outcome'], registers: [registry] });
  const turnSeconds = new Histogram({ name: 'dalil_turn_duration_seconds', help: 'Time to handle a turn (store round trips included), by channel', labelNames: ['channel'], buckets: TURN_BUCKETS, registers: [registry] });
  const sendFailures = new Counter({ name: 'dalil_send_failures_total', help: 'Turns whose replies could not all be sent, by channel and kind', labelNames: ['channel', 'kind'], registers: [registry] });
  const sent = new Counter({ name: 'dalil_messages_sent_total', help: 'Messages sent to users, by channel', labelNames: ['channel'], registers: [registry] });
  const smsSegments = new Counter({ name: 'dalil_sms_segments_sent_total', help: 'SMS segments sent (what the carrier bills)', labelNames: ['channel'], registers: [registry] });
  const responses = new Counter({ name: 'dalil_http_responses_total', help: 'HTTP responses by mount (webhook, admin, web) and status code', labelNames: ['mount', 'status'], registers: [registry] });
  const redisCalls = new Histogram({ name: 'dalil_redis_command_duration_seconds', help: 'Redis round trips of the conversation store, by result', labelNames: ['result'], buckets: REDIS_BUCKETS, registers: [registry] });
  const redisUp = options.redisUp;
  new Gauge({
    name: 'dalil_redis_up',
    help: 'Whether the conversation store last found Redis usable (1) or not (0); absent with memory state',
    registers: redisUp ? [registry] : [],
    collect() {
      if (redisUp) this.set(redisUp() ? 1 : 0);
    },
  });
  const pending = options.pendingDeletes;
  new Gauge({
    name: 'dalil_redis_pending_deletes',
    help: 'Forget-me deletions waiting for Redis to come back',
    registers: pending ? [registry] : [],
    collect() {
      if (pending) this.set(pending());
    },
  });

  return {
    registry,
    contentType: registry.contentType,
    onTurn(facts) {
      const channel = word(facts.channel);
      // Urgent help is what operators watch first, whatever the turn answered with.
      const outcome = facts.urgency ? 'urgent' : facts.outcome;
      turns.inc({ channel, lang: word(facts.lang), outcome: word(outcome) });
      turnSeconds.observe({ channel }, facts.latencyMs / 1000);
    },
    onDelivered(fact) {
      const channel = word(fact.channel);
      if (fact.sent > 0) sent.inc({ channel }, fact.sent);
      if (fact.smsSegments > 0) smsSegments.inc({ channel }, fact.smsSegments);
      if (fact.failure) sendFailures.inc({ channel, kind: word(fact.failure) });
    },
    onStoreCall(fact) {
      redisCalls.observe({ result: fact.ok ? 'ok' : 'error' }, fact.ms / 1000);
    },
    onResponse(mount, status) {
      responses.inc({ mount: word(mount), status: String(Math.trunc(status)) });
    },
    render: () => registry.metrics(),
  };
}

/** Whether `header` is `Bearer <token>`, compared in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (!token || !header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length).trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The `/metrics` handler: with a token, 401 without the right bearer; never cached. */
export function metricsHandler(metrics: DalilMetrics, token: string) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (token && !bearerMatches(req.get('authorization'), token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthorized' });
      return;
    }
    try {
      const body = await metrics.render();
      res.status(200).set('Content-Type', metrics.contentType).set('Cache-Control', 'no-store').send(body);
    } catch (err) {
      next(err);
    }
  };
}

/** A listener that serves only `/metrics` (METRICS_PORT), for a private network or a sidecar. */
export async function startMetricsServer(
  metrics: DalilMetrics,
  opts: { host: string; port: number; token: string },
): Promise<{ port: number; close(): Promise<void> }> {
  const { default: express } = await import('express');
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(metrics, opts.token));
  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(opts.port, opts.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : opts.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
