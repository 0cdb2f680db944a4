/**
 * Scaling benchmark: runs BENCH_WORKERS copies of Dalil (the built dist at BENCH_DIST) with
 * node:cluster, sharing one port and one Redis, configured by the same environment as
 * `npm start`. Prints "ready" once every worker listens; SIGTERM stops them all.
 */
import cluster from 'node:cluster';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const workers = Number(process.env.BENCH_WORKERS ?? '2');
const dist = process.env.BENCH_DIST ?? 'dist';

if (cluster.isPrimary) {
  let ready = 0;
  for (let i = 0; i < workers; i++) {
    const w = cluster.fork();
    w.on('message', (m) => {
      if (m === 'ready' && ++ready === workers) process.stdout.write('ready\n');
    });
  }
  cluster.on('exit', (_w, code) => {
    if (code !== 0) process.stderr.write(`worker exited with ${code}\n`);
  });
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 2000).unref();
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  });
} else {
  const mod = (p) => import(pathToFileURL(path.join(dist, p)).href);
  const { startDalil } = await mod('src/main.js');
  const { loadConfig } = await mod('src/config/index.js');
  const { createLogger } = await mod('src/logging/logger.js');
  const config = loadConfig();
  const running = await startDalil(config, createLogger(config.logLevel));
  process.send?.('ready');
  process.on('SIGTERM', () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
