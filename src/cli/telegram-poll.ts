/**
 * `npm run telegram:poll`: run the Telegram bot locally with long polling (no public URL needed).
 * Uses the same engine, store and bot handler as the webhook. Starting it removes any webhook
 * registered for the bot (Telegram delivers updates one way only); `npm start` with
 * PUBLIC_BASE_URL set registers it again.
 */
import { loadConfig } from '../config/index.js';
import { ContentError } from '../domain/index.js';
import { createLogger } from '../logging/logger.js';
import { buildCore } from '../main.js';
import { createTelegramBot } from '../channels/telegram/bot.js';
import { registerTelegramCommands } from '../channels/telegram/commands.js';
import { TELEGRAM_ALLOWED_UPDATES } from '../channels/telegram/router.js';

async function run(): Promise<void> {
  const config = loadConfig();
  if (!config.telegram.botToken) {
    process.stderr.write('telegram:poll needs TELEGRAM_BOT_TOKEN (from @BotFather)\n');
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  const core = await buildCore(config, logger);
  const bot = createTelegramBot(
    { botToken: config.telegram.botToken, apiRoot: config.telegram.apiRoot, defaultLang: config.defaultLang },
    { handleTurn: core.handleTurn, logger, markStopped: (userId) => core.markStopped('telegram', userId) },
  );
  await registerTelegramCommands(bot.api, config.defaultLang);
  const stop = (): void => {
    void bot.stop().finally(() => core.store.close());
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await bot.start({
    allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
    onStart: (me) => {
      logger.info('channel.telegram.polling');
      process.stdout.write(`Telegram bot @${me.username} is polling: write to it in Telegram (Ctrl+C to stop)\n`);
    },
  });
}

run().catch((err: unknown) => {
  if (err instanceof ContentError) process.stderr.write(`Dalil refuses to start: ${err.message}\n`);
  else process.stderr.write(`telegram:poll failed: ${(err as Error).name}: ${(err as Error).message}\n`);
  process.exit(1);
});
