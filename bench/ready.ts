/**
 * `tsx bench/ready.ts [--runs 7] [--no-build]`: time from `node` starting to the first /healthz 200,
 * embedded default and with Redis, a cold start (no saved matcher: trains) then `--runs` starts
 * that load the saved model; prints each start and the medians (bench/lib/ready.ts).
 */
import { argValue, log, openToolHarness, type Harness } from './lib/harness.js';
import { measureReady } from './lib/ready.js';

const args = process.argv.slice(2);
const runs = Number(argValue(args, '--runs', '7'));
let h: Harness | undefined;

async function main(): Promise<void> {
  h = (await openToolHarness(args)).h;
  const fakes = await h.startFakes();
  const settings = await measureReady(h, fakes, runs);
  for (const s of settings) {
    log(`${s.setting}: cold ${Math.round(s.cold.wallMs)} ms; warm median ${Math.round(s.warmMedianMs)} ms over ${s.warm.length} starts (${s.warm.map((r) => Math.round(r.wallMs)).join(', ')})`);
  }
  process.stdout.write(`${JSON.stringify(settings)}\n`);
}

main()
  .then(() => h?.cleanup(false))
  .catch(async (err: unknown) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await h?.cleanup(false);
    process.exitCode = 1;
  });
