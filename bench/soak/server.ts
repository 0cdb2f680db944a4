/**
 * The server under soak, run as its own process by bench/soak/soak.ts (so the load generator's
 * memory is not measured): Dalil exactly as `main.ts` starts it, configured from the environment,
 * with Twilio's REST client pointed at the soak's local fake (SOAK_TWILIO_API). Reports its URL
 * and, on request, its memory (after a full GC) over the IPC channel; stops gracefully on SIGTERM.
 */
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { startDalil } from '../../src/main.js';
import { createTwilioRestSender } from '../../src/channels/twilio/send.js';

/** Messages exchanged with the soak driver. */
export type SoakIpc =
  | { type: 'ready'; url: string; pid: number }
  | { type: 'memory'; rss: number; heapUsed: number; external: number; inflight: number }
  | { type: 'measure' };

async function run(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : config.logLevel);
  const apiBaseUrl = process.env.SOAK_TWILIO_API;
  if (!apiBaseUrl || !/^http:\/\/127\.0\.0\.1:\d+$/.test(apiBaseUrl)) throw new Error('SOAK_TWILIO_API must be the loopback URL of the fake Twilio API');
  const running = await startDalil(config, logger, { twilioSender: createTwilioRestSender(config.twilio, { apiBaseUrl }) });
  const send = (m: SoakIpc): void => void process.send?.(m);
  process.on('message', (m: SoakIpc) => {
    if (m.type !== 'measure') return;
    (globalThis as { gc?: () => void }).gc?.();
    const mem = process.memoryUsage();
    send({ type: 'memory', rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external, inflight: running.inflight() });
  });
  process.once('SIGTERM', () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  send({ type: 'ready', url: running.url, pid: process.pid });
}

run().catch((err: unknown) => {
  process.stderr.write(`soak server failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
