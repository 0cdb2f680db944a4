/**
 * Profiles the server under one load phase (or its startup) with V8's CPU profiler, in the same
 * setting as `npm run bench` (built src/, Redis state, local fakes, every channel on), and prints
 * where the time went. The .cpuprofile is kept (open it in Chrome DevTools) under --out.
 *
 * Usage: tsx bench/profile.ts <sms|whatsapp|telegram|botframework|botframework-connector|web|startup>
 *          [--seconds 10] [--out DIR] [--no-build] [--keep-logs]
 * BENCH_NODE_ARGS adds node options to the server (e.g. "--max-semi-space-size=4").
 */
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { argValue, log, openToolHarness, ROOT, startNodeOptions, type Harness } from './lib/harness.js';
import { summariseProfile } from './lib/profile-summary.js';
import { requestFactory, PATHS, type EndpointName } from './lib/requests.js';

const args = process.argv.slice(2);
const target = args[0] ?? '';
const seconds = Number(argValue(args, '--seconds', '10'));
const out = path.resolve(argValue(args, '--out', path.join(ROOT, 'node_modules', '.cache', 'dalil-bench', 'profiles')));

if (target !== 'startup' && !(target in PATHS)) {
  process.stderr.write(`usage: tsx bench/profile.ts <${[...Object.keys(PATHS), 'startup'].join('|')}> [--seconds N] [--out DIR] [--no-build]\n`);
  process.exit(2);
}

let h: Harness | undefined;

async function main(): Promise<void> {
  const tool = await openToolHarness(args);
  h = tool.h;
  const extra = tool.extraNodeArgs;
  const dir = path.join(out, `${target}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const fakes = await h.startFakes();
  const server = await h.startServer(fakes, 'profiled', { nodeArgs: [...startNodeOptions(), '--cpu-prof', `--cpu-prof-dir=${dir}`, ...extra] });
  log(`server ready in ${Math.round(server.wallMs)} ms`);
  if (target !== 'startup') {
    const endpoint = target as EndpointName;
    const base = { publicBaseUrl: server.url, connectorUrl: fakes.connectorUrl };
    await h.phase(server.url, requestFactory(endpoint, h.freshUsers(base)), server.child.pid, 2);
    const r = await h.phase(server.url, requestFactory(endpoint, h.freshUsers(base)), server.child.pid, seconds);
    log(`${endpoint}: ${Math.round(r.rps)} req/s, p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms, server CPU ${r.cpuMsPerRequest.toFixed(3)} ms/request`);
  }
  await server.child.stop();
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile was written (the server did not exit cleanly)');
  process.stdout.write(`${summariseProfile(path.join(dir, file))}\n`);
}

main()
  .then(() => h?.cleanup(args.includes('--keep-logs')))
  .catch(async (err: unknown) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await h?.cleanup(args.includes('--keep-logs'));
    process.exitCode = 1;
  });
