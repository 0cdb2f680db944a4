/**
 * Preloaded into every server process the benchmark starts (`node --import ./bench/guard.mjs`):
 * - BENCH_REDIRECT ("host:port=127.0.0.1:port,...") sends connections meant for a platform API
 *   to its local fake (TLS still verifies the platform's host name against the fake's certificate);
 * - any other TCP connection to a host other than loopback fails at once and is appended to
 *   BENCH_GUARD_FILE, so the report can prove that no request left the machine.
 */
import { appendFileSync } from 'node:fs';
import net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);
const file = process.env.BENCH_GUARD_FILE;
const redirects = new Map(
  (process.env.BENCH_REDIRECT ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => {
      const [from, to] = pair.split('=');
      const [host, port] = to.split(':');
      return [from, { host, port: Number(port) }];
    }),
);
const original = net.Socket.prototype.connect;

function optionsOf(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === 'object' && first !== null) return first;
  if (typeof first === 'string' && Number.isNaN(Number(first))) return { path: first };
  return { port: first, host: typeof args[1] === 'string' ? args[1] : 'localhost' };
}

net.Socket.prototype.connect = function guardedConnect(...args) {
  const o = optionsOf(args);
  if (o.path) return original.apply(this, args); // a Unix socket (node treats only a truthy path so)
  const host = String(o.host ?? 'localhost');
  const to = redirects.get(`${host}:${Number(o.port)}`);
  if (to) {
    const moved = { ...o, host: to.host, port: to.port };
    if (Array.isArray(args[0])) {
      const normalized = Object.assign([], args[0]); // keeps node's "normalized" marker
      normalized[0] = moved;
      return original.call(this, normalized, ...args.slice(1));
    }
    return original.call(this, moved, ...args.slice(1));
  }
  if (!LOOPBACK.has(host)) {
    if (file) appendFileSync(file, `${host}\n`);
    throw new Error(`bench guard: connection to ${host} blocked`);
  }
  return original.apply(this, args);
};
