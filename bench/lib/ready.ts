/**
 * Time to ready: from spawning `node` (with the start script's options) to the first /healthz 200,
 * on the embedded default (memory state, web chat and editors' app, nothing configured) and with
 * Redis and every channel (the benchmark's server). Each setting gets a fresh data folder: its
 * first start finds no saved matcher and trains it ("cold"); the next starts load it ("warm").
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FakesInfo } from '../fakes.js';
import { DIST, log, ROOT, startDalilMs, startNodeOptions, type Harness } from './harness.js';
import { freePort, startChild, treeRss, waitForOk } from './proc.js';
import type { ReadyRun, ReadySetting } from './report.js';

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)] as number);
}

function loadedFrom(logFile: string): boolean {
  return readFileSync(logFile, 'utf8').includes('"nlu.model_loaded"');
}

/** The embedded default: what `npm start` runs with nothing configured (besides where files are). */
async function startEmbedded(h: Harness, dataDir: string, name: string): Promise<ReadyRun> {
  const port = await freePort();
  const logFile = path.join(h.work, `${name}.log`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    HOST: '127.0.0.1',
    CONTENT_DIR: path.join(ROOT, 'content'),
    INTENTS_DIR: path.join(ROOT, 'intents'),
    LOCALES_DIR: path.join(ROOT, 'locales'),
    ADMIN_DATA_DIR: dataDir,
  };
  const started = performance.now();
  const child = startChild(process.execPath, [...startNodeOptions(), path.join(DIST, 'src', 'main.js')], { env, cwd: ROOT, logFile });
  h.children.push(child);
  await waitForOk(`http://127.0.0.1:${port}/healthz`, 60_000, child.proc);
  const wallMs = performance.now() - started;
  const run = { wallMs, startDalilMs: startDalilMs(logFile), loaded: loadedFrom(logFile), rssAtReady: treeRss(child.pid) };
  await child.stop();
  return run;
}

async function startWithRedis(h: Harness, fakes: FakesInfo, dataDir: string, name: string): Promise<ReadyRun> {
  const s = await h.startServer(fakes, name, { env: { ADMIN_DATA_DIR: dataDir } });
  const logFile = path.join(h.work, `${name}.log`);
  const run = { wallMs: s.wallMs, startDalilMs: startDalilMs(logFile), loaded: loadedFrom(logFile), rssAtReady: treeRss(s.child.pid) };
  await s.child.stop();
  return run;
}

/** `warmRuns` starts after a cold one, per setting. */
export async function measureReady(h: Harness, fakes: FakesInfo, warmRuns: number): Promise<ReadySetting[]> {
  const out: ReadySetting[] = [];
  for (const setting of ['embedded', 'redis'] as const) {
    const dataDir = mkdtempSync(path.join(h.work, `ready-${setting}-`));
    const start = (i: number): Promise<ReadyRun> =>
      setting === 'embedded' ? startEmbedded(h, dataDir, `ready-${setting}-${i}`) : startWithRedis(h, fakes, dataDir, `ready-${setting}-${i}`);
    const cold = await start(0);
    log(`   ${setting}: cold start ${Math.round(cold.wallMs)} ms (${cold.loaded ? 'model loaded' : 'model trained'})`);
    const warm: ReadyRun[] = [];
    for (let i = 1; i <= warmRuns; i++) {
      const r = await start(i);
      warm.push(r);
      log(`   ${setting}: start ${i} ${Math.round(r.wallMs)} ms (${r.loaded ? 'model loaded' : 'model trained'})`);
    }
    out.push({ setting, cold, warm, warmMedianMs: median(warm.map((r) => r.wallMs)) });
  }
  return out;
}
