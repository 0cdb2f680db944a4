/**
 * Quick A/B of webhook phases: the same setting as section 2 of `npm run bench` (built src/,
 * Redis state, local fakes, every channel on), for the endpoints named, without the rest of the
 * run. Prints one line per endpoint; used to measure a fix before and after (bench/fixes.md).
 *
 * Usage: tsx bench/phase.ts [web|sms|whatsapp|telegram|botframework|botframework-connector|bare|peer ...]
 *          [--seconds 8] [--runs 1] [--one-server] [--cache-off] [--no-build]
 * `peer` is express + NLP.js on /api/chat (bench/peer-server.mjs).
 * BENCH_NODE_ARGS adds node options to the server (e.g. "--max-old-space-size=128").
 */
import { argValue, log, openToolHarness, type Harness, startNodeOptions } from './lib/harness.js';
import { requestFactory, PATHS, type EndpointName } from './lib/requests.js';
import type { FakesStats } from './fakes.js';

const args = process.argv.slice(2);
const seconds = Number(argValue(args, '--seconds', '8'));
const runs = Number(argValue(args, '--runs', '1'));
const named = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && (args[i - 1] === '--seconds' || args[i - 1] === '--runs')));
const targets = named.length > 0 ? named : [...Object.keys(PATHS), 'bare', 'peer'];
/** --cache-off: the server keeps no match results (MATCH_CACHE_SIZE=0). */
const serverEnv = args.includes('--cache-off') ? { MATCH_CACHE_SIZE: '0' } : {};
for (const t of targets) {
  if (t !== 'bare' && t !== 'peer' && !(t in PATHS)) {
    process.stderr.write(`unknown endpoint ${t}; one of ${[...Object.keys(PATHS), 'bare', 'peer'].join(', ')}\n`);
    process.exit(2);
  }
}

let h: Harness | undefined;

async function main(): Promise<void> {
  const tool = await openToolHarness(args);
  h = tool.h;
  const extra = tool.extraNodeArgs;
  const fakes = await h.startFakes();
  const oneServer = args.includes('--one-server');
  let shared: Awaited<ReturnType<Harness['startServer']>> | undefined;
  for (let run = 1; run <= runs; run++) {
    for (const target of targets) {
      if (target === 'peer') {
        const peer = await h.startPeer();
        const make = (): ReturnType<typeof requestFactory> => requestFactory('web', h!.freshUsers({ publicBaseUrl: peer.url, connectorUrl: fakes.connectorUrl }));
        await h.phase(peer.url, make(), peer.child.pid, 2);
        const r = await h.phase(peer.url, make(), peer.child.pid, seconds);
        log(`peer: ${Math.round(r.rps)} req/s, p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms, CPU ${r.cpuMsPerRequest.toFixed(3)} ms/req, RSS peak ${(r.rssPeak / 2 ** 20).toFixed(1)} MB, errors ${r.errors}`);
        await peer.child.stop();
        continue;
      }
      if (target === 'bare') {
        const bare = await h.startBare();
        await h.phase(bare.url, requestFactory('web', h.freshUsers({ publicBaseUrl: bare.url, connectorUrl: fakes.connectorUrl })), bare.child.pid, 2);
        const r = await h.phase(bare.url, requestFactory('web', h.freshUsers({ publicBaseUrl: bare.url, connectorUrl: fakes.connectorUrl })), bare.child.pid, seconds);
        log(`bare: ${Math.round(r.rps)} req/s, p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms, CPU ${r.cpuMsPerRequest.toFixed(3)} ms/req, RSS peak ${(r.rssPeak / 2 ** 20).toFixed(1)} MB`);
        await bare.child.stop();
        continue;
      }
      // --one-server: one server for every phase, as `npm run bench` runs section 2 (RSS adds up).
      shared ??= oneServer ? await h.startServer(fakes, 'phase-all', { nodeArgs: [...startNodeOptions(), ...extra], env: serverEnv }) : undefined;
      const server = shared ?? (await h.startServer(fakes, `phase-${target}`, { nodeArgs: [...startNodeOptions(), ...extra], env: serverEnv }));
      const endpoint = target as EndpointName;
      const base = { publicBaseUrl: server.url, connectorUrl: fakes.connectorUrl };
      await h.phase(server.url, requestFactory(endpoint, h.freshUsers(base)), server.child.pid, 2);
      const r = await h.phase(server.url, requestFactory(endpoint, h.freshUsers(base)), server.child.pid, seconds);
      log(`${endpoint}: ${Math.round(r.rps)} req/s, p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms, CPU ${r.cpuMsPerRequest.toFixed(3)} ms/req, RSS peak ${(r.rssPeak / 2 ** 20).toFixed(1)} MB, errors ${r.errors}`);
      if (!shared) await server.child.stop();
    }
  }
  await shared?.child.stop();
  // What reached the platform fakes: a sender that fails quietly would show here as missing calls.
  const stats = (await fetch(`${fakes.telegramApiRoot}/__stats`).then((res) => res.json())) as FakesStats;
  log(`fakes received: ${Object.entries(stats.telegram).map(([k, n]) => `${n} Telegram ${k}`).join(', ') || 'no Telegram call'}, ${stats.connector} connector posts, ${stats.twilioMessages} Twilio REST messages`);
}

main()
  .then(() => h?.cleanup(false))
  .catch(async (err: unknown) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await h?.cleanup(false);
    process.exitCode = 1;
  });
