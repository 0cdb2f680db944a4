/**
 * The workspace on the file store: drafts survive a restart, publishing writes the content file
 * atomically and hands the new knowledge base over, invalid content is refused by the rules of
 * content:check, stale translations are told apart, history and rollback.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../../../src/domain/index.js';
import { buildMatrix } from '../../../src/admin/content/matrix.js';
import { fieldsOfText } from '../../../src/admin/content/answer-form.js';
import { createFileAdminStore } from '../../../src/admin/store/file-store.js';
import type { AdminStore } from '../../../src/admin/store/port.js';
import { createWorkspace, type Workspace } from '../../../src/admin/workspace/index.js';
import { loadKnowledge } from '../../../src/knowledge/index.js';
import { answerKey, answerToMarkdown, phrasesKey } from '../../../src/knowledge/publish.js';
import { captureLogger, copyContent } from '../support.js';
import { tempAdminDataDir } from '../../helpers/admin-data.js';

const content = copyContent('workspace');
const dataDir = tempAdminDataDir();
let kb0: KnowledgeBase;
const seen: KnowledgeBase[] = [];
const open: Array<{ store: AdminStore; ws: Workspace }> = [];

async function openWorkspace(): Promise<Workspace> {
  const store = await createFileAdminStore({ dataDir, sweepIntervalMs: 0 });
  const ws = createWorkspace({ store, knowledge: content.knowledge, kb: seen.at(-1) ?? kb0, onPublished: (kb) => void seen.push(kb), logger: captureLogger() });
  await ws.start();
  open.push({ store, ws });
  return ws;
}

const file = (rel: string): string => readFileSync(path.join(content.root, rel), 'utf8');
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  kb0 = (await loadKnowledge(content.knowledge)).kb;
}, 30_000);
afterAll(async () => {
  for (const o of open) {
    await o.ws.close();
    await o.store.close();
  }
  content.cleanup();
});

describe('workspace (files)', () => {
  it('keeps drafts across a restart and publishes them to the content file', async () => {
    const key = answerKey('marriage', 'es');
    const ws = await openWorkspace();
    const fields = fieldsOfText(file(key), today);
    const text = answerToMarkdown({ ...fields, body: `${fields.body}\n\nTAPIR-3: lleve su pasaporte.` }).text;
    await ws.saveDraft(key, text, 'eddie', 'editor', 'pasaporte');
    const again = await openWorkspace();
    const draft = await again.draft(key);
    expect(draft).toMatchObject({ key, text, author: 'eddie', note: 'pasaporte', origin: 'editor' });

    const result = await again.publish([key], 'rita');
    expect(result.ok).toBe(true);
    expect(file(key)).toBe(text);
    expect(readdirSync(path.join(content.knowledge.contentDir, 'topics', 'marriage')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(seen.at(-1)!.answers.get('marriage')!.get('es')!.body).toContain('TAPIR-3');
    expect(await again.draft(key)).toBeUndefined();
    expect(again.version()).toBe(1);
    const [entry] = await again.history();
    expect(entry).toMatchObject({ seq: 1, user: 'rita', action: 'publish', note: 'pasaporte' });
    expect(entry!.changes).toEqual([{ key, before: expect.not.stringContaining('TAPIR-3'), after: text }]);
    // Still there after a restart.
    expect((await openWorkspace()).version()).toBe(1);
  }, 30_000);

  it('refuses what content:check refuses, and changes nothing', async () => {
    const ws = await openWorkspace();
    const key = answerKey('housing', 'ar');
    const before = file(key);
    const fields = fieldsOfText(before, today);
    await ws.saveDraft(key, answerToMarkdown({ ...fields, organisations: ['no-such-org'], sms: 'ب'.repeat(200) }).text, 'eddie', 'editor');
    const result = await ws.publish([key], 'rita');
    expect(result.ok).toBe(false);
    if (result.ok || result.reason !== 'invalid') throw new Error('expected invalid');
    const messages = result.issues.map((i) => i.message).join('\n');
    expect(messages).toContain('unknown organisation "no-such-org"');
    expect(messages).toContain('SMS short form is too long');
    expect(file(key)).toBe(before);
    expect(await ws.draft(key)).toBeDefined();
    await ws.discardDraft(key);
  }, 30_000);

  it('checks phrases against the other topics of the language', async () => {
    const ws = await openWorkspace();
    const other = file(phrasesKey('fr', 'housing')).split('\n').find((l) => l.trim() && !l.startsWith('#'))!;
    const key = phrasesKey('fr', 'banking');
    const issues = ws.check(key, `${file(key)}${other}\n`);
    expect(issues.some((i) => i.severity === 'error' && i.message.includes('under two intents'))).toBe(true);
    expect(ws.check(key, file(key)).filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('marks translations stale when the French answer changes, until they are published again', async () => {
    const ws = await openWorkspace();
    const frKey = answerKey('school-enrolment', 'fr');
    const enKey = answerKey('school-enrolment', 'en');
    const stale = async (): Promise<boolean> => {
      const rows = buildMatrix(ws.kb(), { draftKeys: new Set(), marks: await ws.marks(), today });
      return rows.flat().find((c) => c.topic === 'school-enrolment' && c.lang === 'en')!.stale;
    };
    expect(await stale()).toBe(false);
    const fr = fieldsOfText(file(frKey), today);
    await ws.saveDraft(frKey, answerToMarkdown({ ...fr, body: `${fr.body}\n\nNouveau paragraphe.` }).text, 'eddie', 'editor');
    expect((await ws.publish([frKey], 'rita')).ok).toBe(true);
    expect(await stale()).toBe(true);
    const en = fieldsOfText(file(enKey), today);
    await ws.saveDraft(enKey, answerToMarkdown({ ...en, body: `${en.body}\n\nNew paragraph.` }).text, 'eddie', 'editor');
    expect((await ws.publish([enKey], 'rita')).ok).toBe(true);
    expect(await stale()).toBe(false);
  }, 30_000);

  it('rolls a version back, a new file included', async () => {
    const ws = await openWorkspace();
    const key = phrasesKey('es', 'banking');
    const before = file(key);
    await ws.saveDraft(key, `${before}cuenta de banco sin papeles nuevo\n`, 'eddie', 'editor');
    const pub = await ws.publish([key], 'rita');
    if (!pub.ok) throw new Error('publish refused');
    expect(file(key)).toContain('cuenta de banco sin papeles nuevo');
    const back = await ws.rollback(pub.entry.seq, 'rita');
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.entry).toMatchObject({ action: 'rollback', rollbackOf: pub.entry.seq });
    expect(file(key)).toBe(before);
    expect(await ws.rollback(pub.entry.seq, 'rita')).toEqual({ ok: false, reason: 'nothing' });
    expect(seen.at(-1)!.phrases.some((p) => p.text === 'cuenta de banco sin papeles nuevo')).toBe(false);
    expect(existsSync(path.join(content.knowledge.intentsDir, 'es', 'banking.txt'))).toBe(true);
  }, 30_000);
});
