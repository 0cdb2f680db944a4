/**
 * Open-loop load at a fixed rate: request k is due at start + k / rate, whatever happened to the
 * earlier ones, and its latency counts from when it was due (so time spent queued behind a slow
 * server is measured, not hidden). autocannon's own rate limit spends a per-second budget at full
 * speed and then waits, which turns "half the ceiling" into bursts at the full rate.
 * Keep-alive connections, at most `connections` in flight; bounded by `seconds` plus a drain of
 * at most 10 s.
 */
import http from 'node:http';
import type { LoadResult } from './load.js';
import type { BenchRequest } from './requests.js';
import { summarise } from './stats.js';

/** Options of a paced phase. */
export interface PacedOptions {
  url: string;
  make: () => BenchRequest;
  seconds: number;
  rate: number;
  connections: number;
}

/** Runs a paced phase and resolves what it measured. */
export async function runPaced(o: PacedOptions): Promise<LoadResult> {
  const target = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  let errors = 0;
  let timeouts = 0;
  let inflight = 0;
  const start = performance.now();
  const end = start + o.seconds * 1000;
  const interval = 1000 / o.rate;
  let sent = 0;

  const fire = (due: number): void => {
    const req = o.make();
    inflight++;
    const r = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.path, headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body) }, agent, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => {
          inflight--;
          latencies.push(performance.now() - due);
          const code = res.statusCode ?? 0;
          statusCodes[code] = (statusCodes[code] ?? 0) + 1;
          if (code >= 200 && code < 300) ok++;
        });
      },
    );
    r.on('timeout', () => {
      timeouts++;
      r.destroy();
    });
    r.on('error', () => {
      inflight--;
      errors++;
    });
    r.end(req.body);
  };

  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      if (now >= end) {
        resolve();
        return;
      }
      // Every request due by now goes out (the agent queues beyond `connections` in flight).
      while (start + sent * interval <= now && start + sent * interval < end) fire(start + sent++ * interval);
      setTimeout(tick, Math.max(0, Math.min(1, start + sent * interval - performance.now())));
    };
    tick();
  });
  const drainUntil = performance.now() + 10_000;
  while (inflight > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 5));
  agent.destroy();
  const seconds = o.seconds;
  return {
    seconds,
    connections: o.connections,
    targetRate: o.rate,
    responses: latencies.length,
    rps: ok / seconds,
    statusCodes,
    errors,
    timeouts,
    latency: summarise(latencies),
  };
}
