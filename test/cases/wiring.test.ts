/**
 * Dalil as `npm start` runs it exposes the case desk: memory on the embedded default (with a
 * development key derived from HMAC_SECRET and one warning), the configured key otherwise, an
 * empty partner list until the editors' app provides one, and a desk that closes with Dalil.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { startDalil } from '../../src/main.js';
import { testEnv } from '../helpers/admin-data.js';

async function start(env: Record<string, string>) {
  const lines: string[] = [];
  const dalil = await startDalil(loadConfig(testEnv({ PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', ...env })), createLogger('info', (l) => lines.push(l)));
  return { dalil, events: () => lines.map((l) => (JSON.parse(l) as { event: string }).event) };
}

describe('the case desk in a running Dalil', () => {
  it('runs on memory with a derived key, warns once, and routes to no partner yet', async () => {
    const { dalil, events } = await start({});
    try {
      expect(dalil.cases.partners()).toEqual([]);
      expect(await dalil.cases.list({ username: 'centre-admin' })).toEqual([]);
      expect(events().filter((e) => e === 'cases.key_derived')).toHaveLength(1);
      expect(events()).toContain('cases.memory.selected');
      // An open refuses a partner nobody configured, with a clear error.
      await expect(
        dalil.cases.open({ ref: 'D-TEST1', key: 'a'.repeat(43) as never, partnerId: 'org-a', lang: 'fr', intake: {}, address: { channel: 'web', userId: 'w1' }, at: Date.now() }),
      ).rejects.toThrow(/no partner "org-a"/);
    } finally {
      await dalil.close();
    }
  });

  it('uses CASE_ENCRYPTION_KEY when set, without the warning', async () => {
    const { dalil, events } = await start({ CASE_ENCRYPTION_KEY: randomBytes(32).toString('hex') });
    try {
      expect(events()).not.toContain('cases.key_derived');
      expect(await dalil.cases.takeWebReplies('b'.repeat(43) as never)).toEqual([]);
    } finally {
      await dalil.close();
    }
  });
});
