/**
 * What the editors write: phrase files edited line by line, answers written back to their file.
 */
import { describe, expect, it } from 'vitest';
import { editPhrases, phrasesOf } from '../../../src/admin/content/phrases.js';
import { fieldsOfForm, fieldsOfText } from '../../../src/admin/content/answer-form.js';
import { answerToMarkdown } from '../../../src/knowledge/publish.js';
import { validateAnswer } from '../../../src/knowledge/index.js';

describe('phrase files', () => {
  it('adds and removes phrases, keeping comments and refusing duplicates', () => {
    const text = '# banking\ncompte bancaire\nBanque sans papiers\n\nouvrir un compte\n';
    const out = editPhrases(text, ['nouvelle phrase', 'OUVRIR UN COMPTE', ''], ['banque  sans papiers']);
    expect(out).toBe('# banking\ncompte bancaire\n\nouvrir un compte\nnouvelle phrase\n');
    expect(phrasesOf(out)).toEqual(['compte bancaire', 'ouvrir un compte', 'nouvelle phrase']);
  });
});

describe('answers written back', () => {
  it('round-trips any text through the front matter and passes the same validator', () => {
    const fields = {
      title: 'Titre : avec "guillemets" et # dièse',
      label: 'Séjour : "carte" #1',
      status: 'needs-verification' as const,
      // No reviewer: the date is not written, and reads back as the editor's default (today).
      reviewed: '2026-11-29',
      sources: [{ title: 'Loi 02-03: art. 6', ref: 'Loi 02-03, art. 6' }, { title: 'Site', url: 'https://example.org/a?b=1#c' }],
      related: ['irregular-stay'],
      organisations: ['gadem'],
      sms: "Carte de sejour: demande a la police. Repondez 1 pour plus.",
      body: '*Gras*\n\n- point\n- autre',
    };
    const { text, lines } = answerToMarkdown(fields);
    const v = validateAnswer(text, { file: 'f.md', topic: 'residence-permit', lang: 'fr', smsShortFormSegments: 2, today: '2026-11-29', organisationIds: new Set(['gadem']) });
    expect(v.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(v.answer).toMatchObject({ title: fields.title, label: fields.label, sms: fields.sms, body: fields.body, sources: fields.sources, related: fields.related });
    expect(fieldsOfText(text, '2026-11-29')).toEqual(fields);
    const smsLine = lines.find((l) => l.field === 'sms')!;
    expect(text.split('\n')[smsLine.from - 1]).toMatch(/^sms: /);
    // The label goes right under the title, where editors look for it.
    const labelLine = lines.find((l) => l.field === 'label')!;
    expect(labelLine.from).toBe(3);
    expect(text.split('\n')[2]).toMatch(/^label: /);
  });

  it('keeps the short label from the editor\'s form to the file and back, and leaves an empty one out', () => {
    const form = {
      title: 'Carte de séjour',
      label: '  Carte\r\nde séjour ',
      status: 'needs-verification',
      sms: 'Carte de sejour: demande a la police. Repondez 1 pour plus.',
      body: 'Texte.',
      source_title: 'Loi 02-03',
      source_ref: 'Loi 02-03, art. 6',
    };
    const fields = fieldsOfForm(form);
    expect(fields.label).toBe('Carte de séjour');
    const { text } = answerToMarkdown(fields);
    expect(text).toContain('\nlabel: Carte de séjour\n');
    expect(fieldsOfText(text, '2026-11-29').label).toBe('Carte de séjour');
    const v = validateAnswer(text, { file: 'f.md', topic: 'residence-permit', lang: 'fr', smsShortFormSegments: 2, today: '2026-11-29' });
    expect(v.answer?.label).toBe('Carte de séjour');
    expect(v.issues.filter((i) => /label/.test(i.message))).toEqual([]);

    const none = answerToMarkdown(fieldsOfForm({ ...form, label: '   ' })).text;
    expect(none).not.toMatch(/^label:/m);
    expect(fieldsOfText(none, '2026-11-29').label).toBe('');
    const warned = validateAnswer(none, { file: 'f.md', topic: 'residence-permit', lang: 'fr', smsShortFormSegments: 2, today: '2026-11-29' });
    expect(warned.answer?.label).toBeUndefined();
    expect(warned.issues).toContainEqual(expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^"label" is missing/) }));
  });
});
