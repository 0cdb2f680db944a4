/**
 * `npm run chat`: talk to Dalil in the terminal with the same engine as every channel.
 * Interactive on a terminal; with piped input it reads one message per line and prints each reply,
 * so conversations can be scripted: `printf 'bonjour\n1\n' | npm run --silent chat`.
 */
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../config/index.js';
import { ContentError, type Reply } from '../domain/index.js';
import { createLogger } from '../logging/logger.js';
import { buildCore } from '../main.js';
import { CAPABILITIES } from '../channels/shared/capabilities.js';
import { renderText } from '../channels/shared/render.js';

/** Formats replies for the terminal: each reply's text with numbered choices. */
export function formatReplies(replies: Reply[]): string {
  return replies.map((r) => renderText(r, CAPABILITIES.cli)).join('\n\n');
}

async function run(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(process.env.DALIL_CHAT_LOG === '1' ? 'info' : 'silent');
  const core = await buildCore({ ...config, redisUrl: '', redisTopology: undefined }, logger);
  const interactive = process.stdin.isTTY === true;
  const user = randomUUID();
  const rl = createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive });
  if (interactive) {
    process.stdout.write('Dalil — type a message (Ctrl+D to quit) · Écrivez un message · اكتب رسالة · Escribe un mensaje\n> ');
  }
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    queue = queue.then(async () => {
      const text = line.trim();
      if (!text) {
        if (interactive) process.stdout.write('> ');
        return;
      }
      const out = await core.handleTurn({
        userId: user,
        capabilities: CAPABILITIES.cli,
        message: { channel: 'cli', text, receivedAt: Date.now() },
      });
      process.stdout.write((interactive ? '\n' : `> ${text}\n`) + formatReplies(out.replies) + '\n\n' + (interactive ? '> ' : ''));
    });
  });
  rl.on('close', () => {
    void queue.then(() => core.store.close());
  });
}

run().catch((err: unknown) => {
  if (err instanceof ContentError) process.stderr.write(`Dalil refuses to start: ${err.message}\n`);
  else process.stderr.write(`chat failed: ${(err as Error).message}\n`);
  process.exit(1);
});
