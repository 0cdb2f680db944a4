/**
 * Every issue an editor can see is said in the interface language: each issue code has its
 * sentence `issue.<code>` in the three admin locales (fr, en, ar) with the same values, plurals
 * written for each language's rules and quotes that read right in French and Arabic; every issue
 * the checkers make (answers, directory, dates, front matter, training phrases, files) carries a
 * known code; and a few issues rendered in Arabic read as they should.
 */
import { describe, expect, it } from 'vitest';
import type { ContentIssue } from '../../src/domain/index.js';
import { issueText, translator } from '../../src/admin/i18n.js';
import { issuePlace, refusedNotice } from '../../src/admin/views/issues.js';
import type { ViewContext } from '../../src/admin/views/layout.js';
import { ar } from '../../src/admin/locales/ar.js';
import { en, type MessageKey } from '../../src/admin/locales/en.js';
import { fr } from '../../src/admin/locales/fr.js';
import { ISSUE_CODES, validateAnswer, validateCities, validateIntentFile, validateOrganisations } from '../../src/knowledge/index.js';
import { checkPhraseCollisions } from '../../src/knowledge/intents.js';
import { urgentCoverageIssues } from '../../src/knowledge/directory.js';
import { answerParts, answerText, TODAY } from '../knowledge/fixture-tree.js';

const LOCALES = { en, fr, ar } as Record<string, Record<string, string>>;

/** The values a sentence uses: `{name}` and the variable of `{name, plural, ...}`. */
function valuesOf(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\{(\w+)(?:\}|, plural,)/g)) names.add(m[1]!);
  return [...names].sort();
}

/** The forms of each plural choice of a sentence. */
function pluralForms(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of text.matchAll(/\{(\w+), plural,((?:[^{}]|\{[^{}]*\})*)\}/g)) {
    out.set(m[1]!, new Set([...m[2]!.matchAll(/(=\d+|zero|one|two|few|many|other) \{/g)].map((f) => f[1]!)));
  }
  return out;
}

describe('issue sentences in the admin locales', () => {
  it.each(ISSUE_CODES.map((c) => [c]))('%s has a sentence in fr, en and ar with the same values', (code) => {
    const key = `issue.${code}`;
    const reference = valuesOf(LOCALES.en![key] ?? '');
    for (const lang of ['en', 'fr', 'ar']) {
      const text = LOCALES[lang]![key];
      expect(text, `${lang}: ${key}`).toBeTruthy();
      expect(text!.trim().length, `${lang}: ${key}`).toBeGreaterThan(5);
      expect(valuesOf(text!), `${lang}: ${key}`).toEqual(reference);
      for (const [name, forms] of pluralForms(text!)) {
        expect(forms.has('other'), `${lang}: ${key} {${name}} needs "other"`).toBe(true);
        if (lang === 'ar') expect(forms.has('few') && forms.has('many'), `ar: ${key} {${name}} needs "few" (3-10) and "many" (11-99)`).toBe(true);
        else if (name !== 'length' && name !== 'max') expect(forms.has('one'), `${lang}: ${key} {${name}} needs "one"`).toBe(true);
      }
    }
    // Quoted values use the language's own quotation marks, never straight quotes around a value.
    expect(LOCALES.fr![key], key).not.toMatch(/"\{\w+\}"/);
    expect(LOCALES.ar![key], key).not.toMatch(/"\{\w+\}"|“\{\w+\}”/);
  });

  it('every issue sentence of the locales belongs to a known code (none left behind)', () => {
    const codes = new Set<string>(ISSUE_CODES);
    const orphans = Object.keys(en).filter((k) => k.startsWith('issue.') && k !== 'issue.error' && k !== 'issue.warning' && !codes.has(k.slice('issue.'.length)));
    expect(orphans).toEqual([]);
  });
});

/** Broken inputs of every kind the checkers read. */
function brokenIssues(): ContentIssue[] {
  const ctx = { file: 'content/topics/housing/fr.md', topic: 'housing' as const, lang: 'fr' as const, smsShortFormSegments: 1, today: TODAY, organisationIds: new Set(['gadem']) };
  const good = answerParts('housing', 'fr');
  const answers = [
    'no front matter',
    '---\ntitle: x\n',
    '---\n---\n',
    '---\n- a\n---\nbody',
    '---\ntitle: "a\nstatus: x\n---\n',
    '---\ntitle: a: b\n---\n',
    answerText({ ...good, status: 'status: publishd', reviewed: 'reviewed: 2031-01-01', sms: `sms: ${'é'.repeat(200)} “x” {{days}}` }),
    answerText({ ...good, reviewed: 'reviewed: 2020-01-01', label: 'label: [1]' }),
    answerText({ ...good, status: '', reviewer: '' }),
    answerText({ ...good, reviewed: '', reviewer: '' }),
    answerText({ ...good, reviewed: 'reviewed: 28/11/2026' }),
    answerText({ ...good, reviewed: 'reviewed: 2026-11-01', status: 'status: published', sources: 'sources:\n  - title: A\n    url: http://example.org\n  - url: https://fr.scribd.com/doc/1\n  - ref\n  - title: B\n  - title: C\n    url: ftp://x\n  - title: D\n    url: https://staging.example.org/a\n  - title: E\n    url: https://example.org/lorem-ipsum', label: 'label: Une étiquette beaucoup trop longue' }),
    `---\ntitle: [a]\nlable: x\nfoo: y\nstatus: draft\nsources: x\nrelated: [housing, housing, nope, 3]\norganisations: [gdem]\nsms: ""\n---\n# Heading\n**bold** [a](https://x.org) <b>x</b>\n`,
    `---\ntitle: <b>x</b>\nstatus: draft\nreviewed_by: amina\nsources: []\nrelated: x\nsms: x\n---\n`,
  ];
  const issues = answers.flatMap((text) => validateAnswer(text, ctx).issues);
  const orgs = `- id: Bad_Id
  name: ""
  description: x
  cities: [rbat]
  contacts: x
  verified: 2026-11-01
  police: yes
  urgency: [arrest, flood]
- id: a
  name: A
  description: { fr: a, en: "", ar: a }
  emergency: 1
  contacts:
    - x
    - kind: fax
    - kind: phone
    - kind: phone
      value: call us
    - kind: email
      value: nope
      source: https://a.org/x
    - kind: web
      value: www.a.org
    - kind: phone
      value: "0537000000"
      note: 1
    - kind: phone
      value: "0537000001"
      note: une seule langue
      source: http://a.org
      weak: maybe
      checked: 2026-11-01
    - kind: address
      value: 1 rue X
      source: https://123dok.net/x
- id: a
  name: A2
  description: { fr: a, en: a, ar: a, es: a }
  verified: 2026-13-01
  verified_by: amina
- 3
`;
  issues.push(...validateOrganisations(orgs, { file: 'content/organisations.yaml', today: TODAY, cityIds: new Set(['rabat']) }).issues);
  issues.push(...validateOrganisations('', { file: 'content/organisations.yaml', today: TODAY }).issues);
  issues.push(...validateOrganisations('a: b', { file: 'content/organisations.yaml', today: TODAY }).issues);
  issues.push(...validateOrganisations('\t- x', { file: 'content/organisations.yaml', today: TODAY }).issues);
  issues.push(...validateOrganisations('- id: x\n  id: y', { file: 'content/organisations.yaml', today: TODAY }).issues);
  issues.push(...validateOrganisations('- [a, b', { file: 'content/organisations.yaml', today: TODAY }).issues);
  issues.push(...validateOrganisations('- name: X\n  topics: [nope]', { file: 'content/organisations.yaml', today: TODAY }).issues);
  issues.push(...urgentCoverageIssues({ organisations: new Map() }, 'content/organisations.yaml'));
  const cities = `- id: rabat
  names: { fr: Rabat, en: Rabat, ar: الرباط, es: Rabat }
  location: { lat: 95, lon: 0 }
- id: sale
  names: { fr: Rabat, en: Salé, ar: سلا, es: Salé }
  location: { lat: 34, lon: 200 }
- id: paris
  names: { fr: Paris, en: Paris, ar: باريس, es: París }
  location: { lat: 48.8, lon: 2.3 }
- id: x
  names: x
`;
  issues.push(...validateCities(cities, { file: 'content/cities.yaml' }).issues);
  issues.push(...validateIntentFile('a\na\nb', { file: 'intents/fr/housing.txt', intent: 'housing', lang: 'fr' }).issues);
  issues.push(...validateIntentFile('a\nb\nc\nd\ne\nf', { file: 'intents/fr/housing.txt', intent: 'housing', lang: 'fr' }).issues);
  issues.push(
    ...checkPhraseCollisions([
      { text: 'logement', intent: 'housing', lang: 'fr', file: 'intents/fr/housing.txt', line: 1 },
      { text: 'logement', intent: 'residence-permit', lang: 'fr', file: 'intents/fr/residence-permit.txt', line: 2 },
    ]),
  );
  return issues;
}

describe('issues the checkers make', () => {
  const issues = brokenIssues();
  it('every one carries a known code, and its sentence differs from the bare code in each language', () => {
    const codes = new Set<string>(ISSUE_CODES);
    expect(issues.length).toBeGreaterThan(80);
    const uncoded = issues.filter((i) => !i.code || !codes.has(i.code)).map((i) => i.message);
    expect(uncoded).toEqual([]);
    for (const lang of ['fr', 'en', 'ar'] as const) {
      const t = translator(lang);
      for (const i of issues) {
        const text = issueText(t, i);
        expect(text, `${lang} ${i.code}`).not.toBe(`issue.${i.code}`);
        if (lang !== 'en') expect(text, `${lang} ${i.code}`).not.toBe(i.message);
        // No value left unfilled (values themselves may hold braces, such as "{{days}}").
        const bare = Object.values(i.params ?? {}).reduce<string>((acc, v) => acc.split(String(v)).join(''), text);
        expect(bare, `${lang} ${i.code}`).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('covers most codes of the answer, directory and phrase checks', () => {
    const seen = new Set(issues.map((i) => i.code));
    const fileLevel = /^(file|folder|topics\.(ignored|unknownFolder|lowercase|unknownLanguage|noAnswer|missingLanguage)|phrases\.(ignored|unknownLanguage|unknownIntent|noFile|missingLanguage)|locale|import|text|status\.needsVerification|body\.empty|sms\.(foldedWord|ucs2$)|list\.(self|unknown)|field\.(missing|empty)|contact\.(noValue|checkIncomplete|badSource|notFields)|organisation\.(noName|policeArrest|verifiedIncomplete)|source\.(notMap|noTitle)|notSource\.(notUrl|filler|testServer)|city\.sharedSpelling|review\.byNotText|yaml\.(invalid|tabs|unclosedList|unclosedQuote)|urgency\.(noContact|unchecked)$|date\.missing|sms\.ucs2Typographic)/;
    const missing = ISSUE_CODES.filter((c) => !seen.has(c) && !fileLevel.test(c));
    expect(missing).toEqual([]);
  });
});

describe('issues in Arabic', () => {
  const t = translator('ar');
  const say = (code: string, params: Record<string, string | number> = {}) => issueText(t, { message: 'English', code, params });

  it('counts with the Arabic plural forms (one, two, 3-10, 11-99, 100 and more)', () => {
    const over = (n: number) => say('label.tooLong', { length: 20 + n, max: 20, over: n });
    expect(over(1)).toContain('احذف حرفًا واحدًا على الأقل');
    expect(over(2)).toContain('احذف حرفين على الأقل');
    expect(over(5)).toContain('احذف 5 أحرف على الأقل');
    expect(over(11)).toContain('احذف 11 حرفًا على الأقل');
    expect(over(100)).toContain('احذف 100 حرف على الأقل');
    expect(say('phrases.tooFew', { n: 2, intent: 'housing', language: 'fr', min: 5, topicMin: 25 })).toBe(
      'عبارتا تدريب فقط لـ«\u2068housing\u2069» باللغة الفرنسية: اكتب 5 على الأقل (25 للموضوع).',
    );
    expect(say('date.old', { field: 'reviewed', date: '2025-01-02', days: 400 })).toContain('مضى على التاريخ \u20682025-01-02\u2069 400 يوم.');
    expect(say('date.old', { field: 'reviewed', date: '2025-01-02', days: 366 })).toContain('366 يومًا.');
    expect(say('sms.tooLong', { segments: 3, encoding: 'UCS-2', length: 150, budget: 2, max: 134, over: 16 })).toBe(
      'طويل جدًا: 3 رسائل بترميز \u2068UCS-2\u2069 (150 حرفًا)، والحد رسالتان (134 حرفًا). احذف 16 حرفًا على الأقل.',
    );
  });

  it('translates field names, isolates values and quotes them with « »', () => {
    const text = say('field.notText', { field: 'title', found: '[…]' });
    expect(text.startsWith(`${t('field.title' as MessageKey)}:`)).toBe(true);
    expect(text).toContain('\u2068[…]\u2069');
    expect(say('organisations.unknown', { id: 'gdem', suggestion: 'gadem' })).toBe('منظمة غير معروفة «\u2068gdem\u2069»: اختر واحدة من الدليل. هل تقصد «\u2068gadem\u2069»؟');
    expect(say('contact.noSource', { kind: 'whatsapp' })).toContain('(واتساب)'.replace('واتساب', t('directory.kind.whatsapp' as MessageKey)));
  });

  it('places an issue by its field or its line in Arabic (the review page), and lists refused ones in Arabic', () => {
    const ctx = { t } as unknown as ViewContext;
    expect(issuePlace(ctx, { line: 7 })).toBe('السطر 7');
    expect(issuePlace(ctx, { line: 7 }, 'sms')).toBe(t('field.sms' as MessageKey));
    const notice = String(refusedNotice(ctx, [{ file: 'content/topics/housing/ar.md', line: 1, severity: 'error', message: '"status: published" needs a reviewer record', code: 'status.publishedUnreviewed' }], () => 'السكن · AR'));
    expect(notice).toContain('لا يكون الجواب «منشورًا» إلا بعد أن يتحقق مراجع من معلوماته');
    expect(notice).not.toContain('status: published');
  });
});
