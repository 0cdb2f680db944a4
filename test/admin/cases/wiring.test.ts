/**
 * Dalil as `npm start` runs it: the case desk routes to the partners admins keep in the editors'
 * app (loaded at start, and a partner saved on the Partners page at once), and the inbox reads the
 * desk's cases.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { createLogger } from '../../../src/logging/logger.js';
import { startDalil } from '../../../src/main.js';
import { saveUser } from '../../../src/admin/auth/accounts.js';
import { createFileAdminStore } from '../../../src/admin/store/file-store.js';
import type { ConversationKey, Partner } from '../../../src/domain/index.js';
import { testEnv } from '../../helpers/admin-data.js';
import { Client, PASSWORD } from '../support.js';

const partner = (id: string, orgId: string): Partner => ({ id, orgId, topics: [], cities: [], langs: ['fr'], hours: { tz: 'Africa/Casablanca', days: {} }, active: true });

describe('partners and the inbox in a running Dalil', () => {
  it('routes cases to the partners admins keep, and shows them in the inbox', async () => {
    const env = testEnv({ PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test' });
    const store = await createFileAdminStore({ dataDir: env.ADMIN_DATA_DIR });
    await store.put('partners', 'gadem-rabat', partner('gadem-rabat', 'gadem'));
    await saveUser(store, { username: 'ada', role: 'admin', password: PASSWORD });
    await store.close();
    const dalil = await startDalil(loadConfig(env), createLogger('silent'));
    try {
      expect(dalil.cases.partners().map((p) => p.id)).toEqual(['gadem-rabat']);
      const c = new Client(dalil.url);
      expect((await c.login('ada')).status).toBe(303);
      const csrf = await c.csrf();
      const saved = await c.post('/admin/partners', { _csrf: csrf, id: 'caritas-casa', orgId: 'caritas', langs: ['fr', 'ar'], active: 'on' });
      expect(saved.status).toBe(303);
      expect(dalil.cases.partners().map((p) => p.id)).toEqual(['caritas-casa', 'gadem-rabat']);
      await dalil.cases.open({ ref: 'W-0001', key: 'a'.repeat(43) as ConversationKey, partnerId: 'caritas-casa', lang: 'ar', intake: {}, address: { channel: 'web', userId: 'w1' }, at: Date.now() });
      const inbox = await c.get('/admin/cases');
      expect(inbox.status).toBe(200);
      expect(inbox.text).toContain('data-ref="W-0001"');
    } finally {
      await dalil.close();
    }
  }, 60_000);
});
