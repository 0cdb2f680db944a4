/**
 * Missed questions keep what editors need and nothing that identifies a person: names given
 * after "my name is" and its equivalents, document numbers and street addresses are masked in the
 * four languages; a record keeps the day, never the time, and no user key; forget-me erases the
 * sender's questions through a separate keyed reference.
 */
import { describe, expect, it } from 'vitest';
import { createMissedLog, maskPrivate } from '../../../src/admin/missed/missed-log.js';
import { createFileAdminStore } from '../../../src/admin/store/file-store.js';
import { createConversationService } from '../../../src/engine/index.js';
import { createMemoryStore } from '../../../src/state/memory.js';
import { createHmacKeyer } from '../../../src/state/keyer.js';
import { CAPS, makeDeps } from '../../engine/support.js';
import { tempAdminDataDir } from '../../helpers/admin-data.js';
import { captureLogger } from '../support.js';

/** [text, what must disappear, what must stay]. */
const TABLE: Array<[string, string[], string[]]> = [
  ['my name is Fatima Zahra and I need a lawyer', ['Fatima', 'Zahra'], ['my name is', 'and I need a lawyer']],
  ["My name's Ali, where do I sleep tonight?", ['Ali'], ['where do I sleep tonight']],
  ["je m'appelle Fatima Zahra et je n'ai pas de papiers", ['Fatima', 'Zahra'], ["je m'appelle", "et je n'ai pas de papiers"]],
  ['mon nom est Mamadou Diallo, aidez moi', ['Mamadou', 'Diallo'], ['aidez moi']],
  ['me llamo Aminata Traoré y busco trabajo', ['Aminata', 'Traoré'], ['me llamo', 'y busco trabajo']],
  ['mi nombre es Ousmane', ['Ousmane'], ['mi nombre es']],
  ['اسمي فاطمة الزهراء و أحتاج مساعدة', ['فاطمة', 'الزهراء'], ['اسمي', 'أحتاج مساعدة']],
  ['my passport number is AB12345, they took it', ['AB12345'], ['they took it']],
  ['passeport n° X1234567L confisqué', ['X1234567L'], ['confisqué']],
  ['mi pasaporte AA123456 caducó', ['AA123456'], ['caducó']],
  ['جواز السفر رقم QK4481 عند المشغل', ['QK4481'], ['عند المشغل']],
  ['carte de séjour R0123456 expirée', ['R0123456'], ['expirée']],
  ["I live at 12 rue Ibn Batouta, what are my rights", ['12 rue Ibn Batouta', 'Ibn', 'Batouta'], ['what are my rights']],
  ["j'habite 5 avenue Mohammed V à Rabat", ['Mohammed V'], ["j'habite"]],
  ['vivo en calle Mayor 15, piso 2', ['Mayor 15'], ['vivo en']],
  ['أسكن في شارع الحسن الثاني رقم ١٢', ['الحسن', 'الثاني'], ['أسكن في']],
  ['I sleep at derb Sidi Bouloukat 7 since May', ['Sidi', 'Bouloukat'], ['I sleep at']],
  ['write to fatima.zahra@mail.example.org or 0612345678', ['fatima.zahra@mail.example.org', '0612345678'], ['write to']],
];

describe('masking identifying text', () => {
  it.each(TABLE)('%s', (text, gone, kept) => {
    const masked = maskPrivate(text);
    for (const g of gone) expect(masked, masked).not.toContain(g);
    for (const k of kept) expect(masked, masked).toContain(k);
  });

  it('leaves an ordinary question readable', () => {
    for (const text of ["j'ai le covid19 et 2 enfants", 'how do I renew my residence permit?', 'je suis malade, où aller à Rabat ?', 'necesito un abogado en Tánger', 'أين أجد محامي في طنجة']) {
      expect(maskPrivate(text)).toBe(text);
    }
  });
});

describe('stored without the link to a person, erasable by forget-me', () => {
  it('keeps the day only and no user key in the record; forget erases one sender only', async () => {
    const store = await createFileAdminStore({ dataDir: tempAdminDataDir() });
    const at = Date.UTC(2026, 11, 3, 13, 47, 12, 345);
    const log = createMissedLog({ store, logger: captureLogger(), retentionDays: 30, now: () => at });
    const ownerA = 'A'.repeat(43);
    const ownerB = 'B'.repeat(43);
    await log.record({ text: 'my name is Fatima Zahra', lang: 'en', intent: 'out-of-scope', at, owner: ownerA });
    await log.record({ text: 'where can I see a doctor', lang: 'en', intent: 'out-of-scope', at, owner: ownerB });
    const list = await log.list();
    expect(list).toHaveLength(2);
    for (const q of list) {
      expect(q.at).toBe(Date.UTC(2026, 11, 3));
      expect(JSON.stringify(q)).not.toContain(ownerA);
      expect(JSON.stringify(q)).not.toContain(ownerB);
      expect(Object.keys(q).sort()).toEqual(['at', 'candidates', 'id', 'intent', 'lang', 'text']);
    }
    expect(await log.forget(ownerA)).toBe(1);
    expect((await log.list()).map((q) => q.text)).toEqual(['where can I see a doctor']);
    expect(await store.list('erasure')).toHaveLength(1);
    await store.close();
  });

  it('"delete my data" removes the questions that user left, through the conversation service', async () => {
    const admin = await createFileAdminStore({ dataDir: tempAdminDataDir() });
    const log = createMissedLog({ store: admin, logger: captureLogger(), retentionDays: 30 });
    const pending: Array<Promise<unknown>> = [];
    const handle = createConversationService({
      store: createMemoryStore({ ttlSeconds: 3600 }),
      keyer: createHmacKeyer('missed-erasure-test-secret-0123456789'),
      deps: await makeDeps(),
      logger: captureLogger(),
      onMissed: (m) => void pending.push(log.record(m)),
      onForget: (owner) => void pending.push(log.forget(owner)),
    });
    const say = async (userId: string, text: string) => {
      await handle({ userId, capabilities: CAPS.web, message: { channel: 'web', text, receivedAt: Date.now() } });
      await Promise.all(pending.splice(0));
    };
    await say('user-one', 'fr');
    await say('user-one', "je m'appelle Fatima Zahra, quelle est la couleur du ciel martien");
    await say('user-two', 'fr');
    await say('user-two', 'quelle est la recette du couscous aux sept légumes');
    expect(await log.list()).toHaveLength(2);
    await say('user-one', 'SUPPRIMER');
    const left = await log.list();
    expect(left).toHaveLength(1);
    expect(left[0]!.text).toContain('couscous');
    await admin.close();
  });
});
