/**
 * One load phase with autocannon (in the orchestrator's process, never the server's), bounded
 * by its duration: requests come from a factory, so each is a new message of a new delivery.
 * Latencies are collected per response with sub-millisecond resolution (autocannon's own
 * histogram rounds to whole milliseconds).
 */
import autocannon from 'autocannon';
import type { BenchRequest } from './requests.js';
import { summarise, type Summary } from './stats.js';

/** What one phase measured. */
export interface LoadResult {
  seconds: number;
  connections: number;
  /** Intended rate (requests per second), when the phase was rate-limited. */
  targetRate?: number;
  responses: number;
  /** 2xx responses per second. */
  rps: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Latency of every response, ms. */
  latency: Summary;
}

/** Options of a phase. */
export interface LoadOptions {
  url: string;
  make: () => BenchRequest;
  seconds: number;
  connections: number;
}

/** Runs one phase against `url` and resolves with what it measured. */
export function runLoad(o: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: o.url,
        connections: o.connections,
        duration: o.seconds,
        timeout: 10,
        requests: [{ setupRequest: (req) => ({ ...req, ...o.make() }) }],
      },
      (err, result) => {
        if (err) {
          reject(err);
          return;
        }
        resolve({
          seconds: result.duration,
          connections: o.connections,
          responses: latencies.length,
          rps: ok / result.duration,
          statusCodes,
          errors: result.errors,
          timeouts: result.timeouts,
          latency: summarise(latencies),
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      if (status >= 200 && status < 300) ok++;
    });
  });
}
