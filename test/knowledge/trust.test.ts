/**
 * Choosing contacts (urgencies, "talk to a person") and the trust marks, on small directories
 * built here, so each rule is tested apart from the real content.
 */
import { describe, expect, it } from 'vitest';
import type { Contact, Lang, Organisation, Translate } from '../../src/domain/index.js';
import {
  answerTrustLine,
  contactLine,
  isReviewed,
  notASource,
  personContacts,
  urgentContacts,
  urgentCoverageIssues,
  usableContacts,
  fillSettings,
  validateAnswer,
} from '../../src/knowledge/index.js';
import { answerToMarkdown, reviewedAnswerToMarkdown, unreviewedFields } from '../../src/knowledge/publish.js';

const DESC = { fr: 'd', en: 'd', ar: 'د', es: 'd' };
function org(id: string, contacts: Contact[], extra: Partial<Organisation> = {}): Organisation {
  return { id, name: id.toUpperCase(), description: DESC, cities: [], contacts, languages: [], topics: [], verified: '', ...extra };
}
const phone = (value: string, extra: Partial<Contact> = {}): Contact => ({ kind: 'phone', value, source: 'https://example.org/page', ...extra });
const kbOf = (...orgs: Organisation[]) => ({ organisations: new Map(orgs.map((o) => [o.id, o])) });
const t: Translate = (lang: Lang, key: string, opts?: Record<string, unknown>) => `${lang}:${key}${opts?.date ? `(${String(opts.date)})` : ''}`;

describe('urgentContacts', () => {
  it('never chooses the police for an arrest, even when the data lists it', () => {
    const kb = kbOf(org('police', [phone('19')], { police: true, emergency: true, urgency: ['arrest', 'violence'] }), org('legal', [phone('0537770332')], { urgency: ['arrest'] }));
    expect(urgentContacts(kb, 'arrest').map((c) => c.org.id)).toEqual(['legal']);
    expect(urgentContacts(kb, 'violence').map((c) => c.org.id)).toEqual(['police']);
  });

  it('does not fill the list with emergency services that are not listed for the urgency', () => {
    const kb = kbOf(org('ambulance', [phone('15')], { emergency: true, urgency: ['medical'] }), org('legal', [phone('0537770332')], { urgency: ['arrest'] }));
    expect(urgentContacts(kb, 'arrest').map((c) => c.org.id)).toEqual(['legal']);
    expect(urgentContacts(kb, 'child-alone')).toEqual([]);
  });

  it('takes the contact marked for the urgency, skips organisations without a number, and puts weak contacts last', () => {
    const kb = kbOf(
      org('old', [phone('0537652881', { weak: true })], { urgency: ['arrest'] }),
      org('web-only', [{ kind: 'web', value: 'https://example.org/' }], { urgency: ['arrest'] }),
      org('unhcr', [phone('0537545400'), phone('0666584361', { urgency: ['arrest'] })], { urgency: ['arrest'] }),
    );
    const chosen = urgentContacts(kb, 'arrest');
    expect(chosen.map((c) => c.contact.value)).toEqual(['0666584361', '0537652881']);
    expect(chosen.every((c) => c.unchecked)).toBe(true);
  });

  it('counts a contact as checked only with a date and a reviewer', () => {
    const kb = kbOf(
      org('a', [phone('1111', { checked: '2026-12-01', checkedBy: 'amina' })], { urgency: ['medical'] }),
      org('b', [phone('2222', { checked: '2026-12-01' })], { urgency: ['medical'] }),
    );
    expect(urgentContacts(kb, 'medical').map((c) => c.unchecked)).toEqual([false, true]);
  });
});

describe('urgentCoverageIssues', () => {
  it('is an error when an urgency has no numbered contact, and a warning listing unchecked ones', () => {
    const kb = kbOf(org('legal', [phone('0537770332')], { urgency: ['arrest'] }));
    const issues = urgentCoverageIssues(kb, 'content/organisations.yaml');
    const errors = issues.filter((i) => i.severity === 'error').map((i) => i.message);
    expect(errors).toHaveLength(4);
    expect(errors.join('\n')).toMatch(/"violence" has no contact with a number/);
    expect(issues.find((i) => i.severity === 'warning')?.message).toMatch(/NOT YET CHECKED: .*arrest \(legal 0537770332\)/);
  });

  it('is an error when the police list arrest', () => {
    const kb = kbOf(org('police', [phone('19')], { police: true, urgency: ['arrest'] }));
    expect(urgentCoverageIssues(kb, 'x').some((i) => i.severity === 'error' && /never send someone who is arrested to the police/.test(i.message))).toBe(true);
  });
});

describe('personContacts and usableContacts', () => {
  it('leaves out the police and emergency services, and a weak contact when a better one of its kind exists', () => {
    const a = org('a', [phone('0537000000', { weak: true }), phone('0537111111')]);
    expect(usableContacts(a).map((c) => c.value)).toEqual(['0537111111']);
    const chosen = personContacts([org('police', [phone('19')], { police: true }), org('sos', [phone('15')], { emergency: true }), a]);
    expect(chosen.map((c) => `${c.org.id} ${c.contact.value}`)).toEqual(['a 0537111111']);
  });

  it('prefers a sound contact of another kind to a weak one, and keeps the weak one last, marked', () => {
    const iom = org('iom', [phone('0537652881', { weak: true }), { kind: 'web', value: 'https://morocco.iom.int/' }]);
    expect(usableContacts(iom).map((c) => c.value)).toEqual(['https://morocco.iom.int/', '0537652881']);
    const [onlyWeak] = personContacts([org('iom', [phone('0537652881', { weak: true })])]);
    expect(contactLine(onlyWeak!, 'ar', t)).toBe('IOM: 0537652881 (ar:trust.notChecked)');
  });
});

describe('trust marks', () => {
  it('uses the translated name and note, and marks unchecked contacts', () => {
    const o = org('police', [phone('19', { notes: { fr: 'Urgence', en: 'Emergency', ar: 'طوارئ', es: 'Emergencia' } })], {
      names: { fr: 'Police (19)', en: 'Police (19)', ar: 'الشرطة (19)', es: 'Policía (19)' },
    });
    const [chosen] = personContacts([{ ...o, police: false }]);
    expect(contactLine(chosen!, 'ar', t, { withNote: true })).toBe('الشرطة (19) (طوارئ) (ar:trust.notChecked)');
  });

  it('shows a checked date only for a reviewed answer', () => {
    expect(isReviewed({ status: 'published', reviewed: '2026-12-01', reviewedBy: 'amina' })).toBe(true);
    expect(isReviewed({ status: 'published', reviewed: '2026-12-01' })).toBe(false);
    expect(answerTrustLine({ status: 'needs-verification', reviewed: '' }, 'fr', t)).toBe('fr:trust.answerNotChecked');
    expect(answerTrustLine({ status: 'published', reviewed: '2026-12-01', reviewedBy: 'amina' }, 'fr', t)).toBe('fr:answer.reviewed(2026-12-01)');
  });
});

describe('sources and settings', () => {
  it('refuses what is not a source', () => {
    expect(notASource('https://fr.scribd.com/document/578050126/CONSENTEMENT')).toMatch(/document-sharing/);
    expect(notASource('https://open-test.enabel.be/en/update/id/1773')).toMatch(/test server/);
    expect(notASource('https://menapolicyhub.com/sociosqu-ad-litora-torquent/')).toMatch(/filler/);
    expect(notASource('https://help.unhcr.org/morocco/en/')).toBeUndefined();
  });

  it('writes the configured retention periods into texts', () => {
    expect(fillSettings('after {{retention_days}} days; questions {{ missed_retention_days }} days', { retentionDays: 10, missedRetentionDays: 5 })).toBe(
      'after 10 days; questions 5 days',
    );
    expect(fillSettings('{{unknown}}')).toBe('{{unknown}}');
  });
});

describe('writing answers back (the editors\' app)', () => {
  const fields = {
    title: 'Logement',
    status: 'published' as const,
    reviewed: '2026-11-20',
    sources: [{ title: 'Loi 67-12', ref: 'Loi 67-12' }],
    related: [],
    organisations: [],
    sms: 'Demandez un bail écrit. Aide : GADEM 0537770332.',
    body: 'Le bail.',
  };
  const ctx = { file: 'f.md', topic: 'housing' as const, lang: 'fr' as const, smsShortFormSegments: 2, today: '2026-12-01' };

  it('writes no checked date without a reviewer, so a typed "published" is refused', () => {
    const { text } = answerToMarkdown(fields);
    expect(text).not.toMatch(/^reviewed/m);
    const v = validateAnswer(text, ctx);
    expect(v.issues.some((i) => i.severity === 'error' && /needs a reviewer record/.test(i.message))).toBe(true);
    expect(validateAnswer(answerToMarkdown(unreviewedFields(fields)).text, ctx).answer?.status).toBe('needs-verification');
  });

  it('records the date and the reviewer on a reviewer\'s action', () => {
    const { text } = reviewedAnswerToMarkdown(fields, 'amina', '2026-12-01');
    const v = validateAnswer(text, ctx);
    expect(v.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(v.answer).toMatchObject({ status: 'published', reviewed: '2026-12-01', reviewedBy: 'amina' });
    expect(() => reviewedAnswerToMarkdown(fields, ' ', '2026-12-01')).toThrow();
  });
});
