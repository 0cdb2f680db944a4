/**
 * Answers are plain text: they go to chat apps and, through `/api/chat`, to partner sites that
 * may insert them into a page. `content:check` (the shared validator) and the editors' app refuse
 * HTML in the title, the SMS short form and the body; a lone "<" stays text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAnswer } from '../../src/knowledge/index.js';
import { answerKey } from '../../src/knowledge/publish.js';
import { TODAY, answerParts, answerText } from './fixture-tree.js';
import { startWithAccounts, type TestDalil } from '../admin/support.js';

const ctx = { file: 'content/topics/housing/fr.md', topic: 'housing', lang: 'fr' as const, today: TODAY, organisationIds: new Set(['gadem']), smsShortFormSegments: 2 };
const errorsOf = (parts: Partial<ReturnType<typeof answerParts>>) =>
  validateAnswer(answerText({ ...answerParts('housing', 'fr'), ...parts }), ctx as never).issues.filter((i) => i.severity === 'error');

describe('HTML in answers', () => {
  it.each([
    ['a script in the body', { body: 'Allez au bureau.\n<script>alert(1)</script>' }],
    ['an image with a handler', { body: 'Voir <img src=x onerror=alert(1)>' }],
    ['a closing tag', { body: 'du texte</b>' }],
    ['a comment', { body: 'texte <!-- caché -->' }],
    ['markup in the title', { title: 'title: <b>Logement</b>' }],
    ['markup in the SMS form', { sms: 'sms: Logement <a href="https://x.example">ici</a>' }],
  ])('refuses %s', (_name, parts) => {
    const errors = errorsOf(parts);
    expect(errors.map((e) => e.message).join('\n')).toMatch(/HTML is not allowed/);
  });

  it('keeps a lone "<" as text', () => {
    expect(errorsOf({ body: 'Les enfants < 18 ans ont droit à l\'école. <3' })).toEqual([]);
  });
});

describe('the editors\' app', () => {
  let d: TestDalil;
  beforeAll(async () => {
    d = await startWithAccounts();
  }, 60_000);
  afterAll(async () => {
    await d?.close();
  });

  it('refuses to publish an answer carrying a script', async () => {
    const key = answerKey('housing', 'en');
    const file = path.join(d.knowledge.contentDir, 'topics', 'housing', 'en.md');
    const text = readFileSync(file, 'utf8').replace(/\n---\n/, '\n---\n<script>fetch("https://evil.example")</script>\n');
    const issues = d.admin.workspace.check(key, text);
    expect(issues.some((i) => i.severity === 'error' && /HTML is not allowed/.test(i.message))).toBe(true);
    await d.admin.workspace.saveDraft(key, text, 'eddie', 'editor');
    const result = await d.admin.workspace.publish([key], 'rita', 'try');
    expect(result.ok).toBe(false);
    expect(JSON.stringify(d.live.kb.answers.get('housing')!.get('en'))).not.toContain('<script>');
  });
});
