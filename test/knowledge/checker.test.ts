import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, LANGS, TOPIC_IDS, formatIssue } from '../../src/domain/index.js';
import type { ContentIssue } from '../../src/domain/index.js';
import { readIntents, validateAnswer, validateCities, validateOrganisations } from '../../src/knowledge/index.js';
import {
  CITIES_YAML,
  ORGANISATIONS_YAML,
  TODAY,
  answerParts,
  answerText,
  makeTree,
  phrasesFor,
} from './fixture-tree.js';
import type { Tree } from './fixture-tree.js';

let tree: Tree;
beforeAll(async () => {
  tree = await makeTree();
});
afterEach(async () => {
  await tree.reset();
});
afterAll(async () => {
  await tree.cleanup();
});

const HOUSING_FR = 'content/topics/housing/fr.md';

/** Writes the French housing answer with some parts replaced. */
async function writeHousing(parts: Partial<ReturnType<typeof answerParts>>, lang = 'fr'): Promise<void> {
  await tree.write(`content/topics/housing/${lang}.md`, answerText({ ...answerParts('housing', lang), ...parts }));
}

/** The issues, as `file:line: severity` plus message, for readable failures. */
function where(issues: readonly ContentIssue[]): string[] {
  return issues.map(formatIssue);
}

/** Asserts exactly one issue at `file:line` with `severity` and a message matching `pattern`. */
function expectIssue(issues: readonly ContentIssue[], file: string, line: number, severity: ContentIssue['severity'], pattern: RegExp): ContentIssue {
  const found = issues.filter((i) => i.file === file && i.line === line && i.severity === severity && pattern.test(i.message));
  expect(found, `expected ${file}:${line}: ${severity}: ${pattern} in\n${where(issues).join('\n')}`).toHaveLength(1);
  return found[0]!;
}

describe('a complete valid tree', () => {
  it('loads without any issue and builds the knowledge base', async () => {
    const { kb, issues } = await tree.load();
    expect(where(issues)).toEqual([]);
    expect(kb.answers.size).toBe(TOPIC_IDS.length);
    for (const topic of TOPIC_IDS) expect([...kb.answers.get(topic)!.keys()].sort()).toEqual([...LANGS].sort());
    const housing = kb.answers.get('housing')!.get('fr')!;
    expect(housing).toMatchObject({
      topic: 'housing',
      lang: 'fr',
      title: 'housing (fr)',
      status: 'published',
      reviewed: TODAY,
      related: ['find-help'],
      organisations: ['gadem'],
      file: HOUSING_FR,
      sms: 'Short answer about housing. Reply 1 for more.',
    });
    expect(housing.sources).toEqual([
      { title: 'Loi 02-03', ref: 'Loi 02-03, art. 16' },
      { title: 'UNHCR help', url: 'https://help.unhcr.org/morocco/' },
    ]);
    expect(housing.body.startsWith('The full answer about housing.')).toBe(true);
    expect([...kb.categories.keys()]).toEqual([...CATEGORIES]);
    expect(kb.categories.get('daily-life')).toEqual(['housing', 'banking', 'language-classes']);
    expect([...kb.organisations.keys()]).toEqual(['gadem', 'police', 'helpline']);
    expect(kb.organisations.get('police')).toMatchObject({ emergency: true, urgency: ['violence'], contacts: [{ kind: 'phone', value: '19' }] });
    expect(kb.cities.get('oujda')).toEqual({
      id: 'oujda',
      names: { fr: 'Oujda', en: 'Oujda', ar: 'وجدة', es: 'Uchda' },
      aliases: ['Wajda', 'وجدة'],
      location: { lat: 34.6814, lon: -1.9086 },
    });
    expect(kb.phrases.filter((p) => p.intent === 'greeting' && p.lang === 'fr')).toHaveLength(25);
    expect(kb.phrases[0]).toEqual({ text: expect.any(String), intent: expect.any(String), lang: expect.any(String) });
  });

  it('has a deterministic version that changes when a file changes', async () => {
    const a = (await tree.load()).kb.version;
    const b = (await tree.load()).kb.version;
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(b).toBe(a);
    await tree.write('intents/fr/greeting.txt', phrasesFor('greeting', 'fr', 26).join('\n'));
    expect((await tree.load()).kb.version).not.toBe(a);
  });
});

describe('malformed answer files', () => {
  it('reports a file without front matter on line 1', async () => {
    await tree.write(HOUSING_FR, 'title: Housing\n\nSome text\n');
    const { kb, issues } = await tree.load();
    expectIssue(issues, HOUSING_FR, 1, 'error', /missing front matter/);
    expect(kb.answers.get('housing')!.has('fr')).toBe(false);
  });

  it('reports a front matter that is never closed', async () => {
    await tree.write(HOUSING_FR, '---\ntitle: Housing\nstatus: published\n');
    expectIssue((await tree.load()).issues, HOUSING_FR, 1, 'error', /never closed/);
  });

  it('reports invalid YAML at its line in the .md file', async () => {
    await writeHousing({ reviewed: 'reviewed: 2026-11-28\ntitle: twice' }); // line 5: duplicate key
    const issue = expectIssue((await tree.load()).issues, HOUSING_FR, 5, 'error', /not valid YAML/);
    expect(issue.message).toMatch(/unique/);
  });

  it('reports an unquoted ": " in a value at its line, with a hint', async () => {
    await writeHousing({ title: 'title: Carte de séjour: documents' }); // line 2
    const issues = (await tree.load()).issues.filter((i) => i.file === HOUSING_FR);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.severity === 'error' && i.line === 2)).toBe(true);
    expect(issues[0]!.message).toMatch(/not valid YAML.*between double quotes/);
  });

  it('treats a misspelt known field as an error and an unrelated unknown field as a warning', async () => {
    await writeHousing({ reviewed: 'reviewd: 2026-11-28', related: 'related: [find-help]\nnotes: internal' });
    const { issues } = await tree.load();
    expectIssue(issues, HOUSING_FR, 4, 'error', /unknown field "reviewd".*did you mean "reviewed"/);
    expect(issues.some((i) => i.file === HOUSING_FR && i.severity === 'error' && /"reviewed_by" needs the date/.test(i.message))).toBe(true);
    expectIssue(issues, HOUSING_FR, 11, 'warning', /unknown field "notes" .*is ignored/);
  });

  it('reports "organizations" as a typo of "organisations"', async () => {
    await writeHousing({ organisations: 'organizations: [gadem]' });
    expectIssue((await tree.load()).issues, HOUSING_FR, 11, 'error', /did you mean "organisations"/);
  });

  it('reports an empty title, SMS and body', async () => {
    await writeHousing({ title: 'title: ""', sms: 'sms: "  "', body: '\n\n' });
    const { kb, issues } = await tree.load();
    expectIssue(issues, HOUSING_FR, 2, 'error', /"title" is empty/);
    expectIssue(issues, HOUSING_FR, 12, 'error', /"sms" is empty/);
    expectIssue(issues, HOUSING_FR, 15, 'error', /has no text/); // after the closing --- (label is line 14)
    expect(kb.answers.get('housing')!.has('fr')).toBe(false);
  });

  it('reports missing title and SMS on line 1', async () => {
    await writeHousing({ title: '', sms: '' });
    const { issues } = await tree.load();
    expectIssue(issues, HOUSING_FR, 1, 'error', /"title" is missing/);
    expectIssue(issues, HOUSING_FR, 1, 'error', /"sms" is missing/);
  });

  it('warns about Markdown the channels do not show, at the body line', async () => {
    await writeHousing({ body: 'Intro\n\n## Heading\n\nSome **bold** text' });
    const { issues } = await tree.load();
    expectIssue(issues, HOUSING_FR, 18, 'warning', /headings/);
    expectIssue(issues, HOUSING_FR, 20, 'warning', /single stars/);
  });
});

describe('short label (menus and buttons)', () => {
  it('keeps a label of exactly 20 characters, counted in code points (Arabic, accents)', async () => {
    await writeHousing({ label: 'label: "Logement à louer ici"' }); // 20 with the accent and the spaces
    await writeHousing({ label: 'label: السكن وحقوق المستأجر' }, 'ar'); // 20 letters and spaces
    const { kb, issues } = await tree.load();
    expect(where(issues)).toEqual([]);
    expect(kb.answers.get('housing')!.get('fr')!.label).toBe('Logement à louer ici');
    expect(kb.answers.get('housing')!.get('ar')!.label).toBe('السكن وحقوق المستأجر');
  });

  it('refuses a label over 20 characters, on its line, and shows the title instead', async () => {
    await writeHousing({ label: 'label: "Logement à louer ici!"' }); // 21
    const { kb, issues } = await tree.load();
    expectIssue(issues, HOUSING_FR, 14, 'error', /"label" is 21 characters long.*at most 20.*shorten it by 1/);
    const housing = kb.answers.get('housing')!.get('fr')!;
    expect(housing.label).toBeUndefined();
    expect(housing.title).toBe('housing (fr)');
  });

  it('warns when an answer has no label (or an empty one), and keeps the answer', async () => {
    await writeHousing({ label: '' });
    await writeHousing({ label: 'label: ""' }, 'en');
    const { kb, issues } = await tree.load();
    expectIssue(issues, HOUSING_FR, 1, 'warning', /"label" is missing: add a short label .*at most 20/);
    expectIssue(issues, 'content/topics/housing/en.md', 14, 'warning', /"label" is missing/);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(kb.answers.get('housing')!.get('fr')!.label).toBeUndefined();
  });

  it('refuses a label that is not text', async () => {
    await writeHousing({ label: 'label: [a, b]' });
    expectIssue((await tree.load()).issues, HOUSING_FR, 14, 'error', /"label" must be text/);
  });
});

describe('status', () => {
  it('refuses an unknown status, suggesting the closest one', async () => {
    await writeHousing({ status: 'status: publised' });
    expectIssue((await tree.load()).issues, HOUSING_FR, 3, 'error', /must be one of published, needs-verification, draft.*did you mean "published"/);
  });

  it('allows needs-verification with a warning and keeps the answer', async () => {
    await writeHousing({ status: 'status: needs-verification' });
    const { kb, issues } = await tree.load();
    expectIssue(issues, HOUSING_FR, 3, 'warning', /needs verification/);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(kb.answers.get('housing')!.get('fr')!.status).toBe('needs-verification');
  });

  it('loads drafts but leaves a topic whose answers are all drafts out of the menu', async () => {
    for (const lang of LANGS) await writeHousing({ status: 'status: draft' }, lang);
    const { kb, issues } = await tree.load();
    expect(where(issues)).toEqual([]);
    expect(kb.answers.get('housing')!.get('ar')!.status).toBe('draft');
    expect(kb.categories.get('daily-life')).toEqual(['banking', 'language-classes']);
  });
});

describe('reviewed date', () => {
  it('refuses an impossible date', async () => {
    await writeHousing({ reviewed: 'reviewed: 2026-02-30' });
    expectIssue((await tree.load()).issues, HOUSING_FR, 4, 'error', /real date written YYYY-MM-DD/);
  });

  it('refuses another date format', async () => {
    await writeHousing({ reviewed: 'reviewed: 28/11/2026' });
    expectIssue((await tree.load()).issues, HOUSING_FR, 4, 'error', /YYYY-MM-DD.*found "28\/11\/2026"/);
  });

  it('refuses a date in the future', async () => {
    await writeHousing({ reviewed: 'reviewed: 2026-11-29' });
    expectIssue((await tree.load()).issues, HOUSING_FR, 4, 'error', /in the future/);
  });

  it('warns when the facts were checked more than a year ago', async () => {
    await writeHousing({ reviewed: 'reviewed: 2025-11-27' });
    expectIssue((await tree.load()).issues, HOUSING_FR, 4, 'warning', /366 days old/);
  });
});

describe('sources', () => {
  it('refuses a missing sources field', async () => {
    await writeHousing({ sources: '' });
    expectIssue((await tree.load()).issues, HOUSING_FR, 1, 'error', /no sources/);
  });

  it('refuses an empty list', async () => {
    await writeHousing({ sources: 'sources: []' });
    expectIssue((await tree.load()).issues, HOUSING_FR, 5, 'error', /"sources" is empty/);
  });

  it('refuses a source without title, one with neither url nor ref, and a bad url', async () => {
    await writeHousing({
      sources: [
        'sources:', //                              5
        '  - ref: Loi 02-03, art. 16', //           6  no title
        '  - title: A page', //                     7  neither url nor ref
        '  - title: Another page', //               8
        '    url: www.example.org/page', //         9  not https://
      ].join('\n'),
    });
    const { issues } = await tree.load();
    expectIssue(issues, HOUSING_FR, 6, 'error', /source 1 has no title/);
    expectIssue(issues, HOUSING_FR, 7, 'error', /source 2 needs a "url" .* or a legal reference "ref"/);
    expectIssue(issues, HOUSING_FR, 9, 'error', /url of source 3 must be a full web address starting with https:\/\//);
  });
});

describe('references', () => {
  it('reports an unknown topic in related at the line of the item', async () => {
    await writeHousing({ related: 'related:\n  - find-help\n  - bankng' }); // item on line 12
    const { kb, issues } = await tree.load();
    expectIssue(issues, HOUSING_FR, 12, 'error', /unknown topic "bankng" in "related".*did you mean "banking"/);
    expect(kb.answers.get('housing')!.get('fr')!.related).toEqual(['find-help']);
  });

  it('reports an unknown organisation at its line', async () => {
    await writeHousing({ organisations: 'organisations:\n  - gadem\n  - msf' }); // item on line 13
    expectIssue((await tree.load()).issues, HOUSING_FR, 13, 'error', /unknown organisation "msf"/);
  });
});

describe('SMS short form', () => {
  it('accepts 306 GSM-7 characters and refuses 307, giving encoding, segments and length', async () => {
    await writeHousing({ sms: `sms: ${'a'.repeat(306)}` });
    expect((await tree.load()).issues).toEqual([]);
    await writeHousing({ sms: `sms: ${'a'.repeat(307)}` });
    const issue = expectIssue((await tree.load()).issues, HOUSING_FR, 12, 'error', /too long/);
    expect(issue.message).toContain('3 SMS segments in GSM-7 (307 characters)');
    expect(issue.message).toContain('306 GSM-7 characters');
  });

  it('accepts 134 Arabic characters and refuses 135', async () => {
    const ar = 'content/topics/housing/ar.md';
    await writeHousing({ sms: `sms: ${'ب'.repeat(134)}` }, 'ar');
    expect((await tree.load()).issues).toEqual([]);
    await writeHousing({ sms: `sms: ${'ب'.repeat(135)}` }, 'ar');
    const issue = expectIssue((await tree.load()).issues, ar, 12, 'error', /too long/);
    expect(issue.message).toContain('3 SMS segments in UCS-2 (135 characters)');
  });

  it('counts the folded text of a block scalar, at the line of the field', async () => {
    const line = 'word '.repeat(30).trim(); // 149 characters
    await writeHousing({ sms: `sms: >-\n  ${line}\n  ${line}\n  ${line}` }); // 449 characters
    const issue = expectIssue((await tree.load()).issues, HOUSING_FR, 12, 'error', /too long/);
    expect(issue.message).toContain('3 SMS segments in GSM-7 (449 characters)');
  });

  it('uses the configured budget', async () => {
    await writeHousing({ sms: `sms: ${'a'.repeat(161)}` });
    expectIssue((await tree.load({ smsShortFormSegments: 1 })).issues, HOUSING_FR, 12, 'error', /limit is 1 segment, i\.e\. 160/);
  });

  it('counts a French SMS as the adapter sends it: ç folded, à and é kept, in GSM-7', async () => {
    await writeHousing({ sms: 'sms: Le reçu est là. Répondez 1.' });
    expect((await tree.load()).issues).toEqual([]);
  });

  it('warns when a French SMS needs UCS-2 even after folding, naming the characters', async () => {
    await writeHousing({ sms: 'sms: Le reçu est là → Répondez 1.' });
    expectIssue((await tree.load()).issues, HOUSING_FR, 12, 'warning', /needs UCS-2 .*"→"/);
  });

  it('does not warn about UCS-2 in Arabic', async () => {
    await writeHousing({ sms: 'sms: أرسل 1 للمزيد' }, 'ar');
    expect((await tree.load()).issues).toEqual([]);
  });
});

describe('folders and completeness', () => {
  it('reports a missing language version of a topic (error by default, warning when allowed)', async () => {
    await tree.remove('content/topics/housing/ar.md');
    expectIssue((await tree.load()).issues, 'content/topics/housing/ar.md', 1, 'error', /Arabic \(ar\) answer of topic "housing" is missing/);
    expectIssue((await tree.load({ requireAllTopics: false })).issues, 'content/topics/housing/ar.md', 1, 'warning', /is missing/);
  });

  it('reports a topic with no answer at all once', async () => {
    await tree.remove('content/topics/banking');
    const strict = (await tree.load()).issues.filter((i) => i.file.startsWith('content/'));
    expect(where(strict)).toEqual([expect.stringMatching(/^content\/topics\/banking:1: error: topic "banking" has no answer in any language/)]);
    const relaxed = (await tree.load({ requireAllTopics: false })).issues;
    expectIssue(relaxed, 'content/topics/banking', 1, 'warning', /no answer in any language/);
    expect(relaxed.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('reports a content folder that is not a topic id', async () => {
    await tree.write('content/topics/housin/fr.md', answerText(answerParts('housing', 'fr')));
    expectIssue((await tree.load()).issues, 'content/topics/housin', 1, 'error', /not a topic id.*did you mean "housing"/);
  });

  it('reports an answer file in an unknown language', async () => {
    await tree.write('content/topics/housing/de.md', answerText(answerParts('housing', 'fr')));
    expectIssue((await tree.load()).issues, 'content/topics/housing/de.md', 1, 'error', /unknown language "de"/);
  });
});

describe('organisations.yaml and cities.yaml', () => {
  const ORGS = 'content/organisations.yaml';
  const CITIES = 'content/cities.yaml';

  it('reports an unknown city and an unknown topic at their lines', async () => {
    await tree.write(ORGS, ORGANISATIONS_YAML.replace('cities: [rabat]', 'cities: [rabat, tangier]').replace('topics: [residence-permit]', 'topics: [residence-permit, housng]'));
    const { issues } = await tree.load();
    expectIssue(issues, ORGS, 4, 'error', /unknown city "tangier"/);
    expectIssue(issues, ORGS, 12, 'error', /unknown topic "housng".*did you mean "housing"/);
  });

  it('reports a missing description language, a bad contact, a duplicate id and a bad urgency', async () => {
    const text = ORGANISATIONS_YAML.replace('{ fr: Association, en: Association, ar: جمعية, es: Asociación }', '{ fr: Association, en: Association, es: Asociación }')
      .replace('value: "+212 537 770 332"', 'value: "call +212 537"')
      .replace('- id: police', '- id: gadem')
      .replace('urgency: [violence]', 'urgency: [fire]');
    await tree.write(ORGS, text);
    const { issues } = await tree.load();
    expectIssue(issues, ORGS, 3, 'error', /Arabic \(ar\) text of "description" is missing/);
    expectIssue(issues, ORGS, 7, 'error', /phone number "call \+212 537" may contain only digits/);
    expectIssue(issues, ORGS, 16, 'error', /the id "gadem" is used twice \(first on line 1\)/);
    expectIssue(issues, ORGS, 30, 'error', /unknown urgency "fire"/);
  });

  it('reports a future verified date', async () => {
    await tree.write(ORGS, ORGANISATIONS_YAML.replace('verified: 2026-11-28', 'verified: 2027-01-01'));
    expectIssue((await tree.load()).issues, ORGS, 13, 'error', /"verified" date 2027-01-01 is in the future/);
  });

  it('reports a spelling shared by two cities and coordinates outside Morocco', async () => {
    await tree.write(CITIES, CITIES_YAML.replace('aliases: [Wajda, وجدة]', 'aliases: [Wajda, Rbat]').replace('lat: 34.6814, lon: -1.9086', 'lat: -1.9086, lon: 34.6814'));
    const { issues } = await tree.load();
    expectIssue(issues, CITIES, 7, 'error', /"Rbat" is also a name of city "rabat" \(line 3\)/);
    expectIssue(issues, CITIES, 8, 'warning', /outside Morocco/);
  });

  it('reports invalid YAML in the organisations file at its line', async () => {
    await tree.write(ORGS, ORGANISATIONS_YAML.replace('  name: GADEM', '  name: GADEM\n name: bad indent'));
    const { issues } = await tree.load();
    const orgIssues = issues.filter((i) => i.file === ORGS);
    expect(orgIssues.length).toBeGreaterThan(0);
    expect(orgIssues[0]).toMatchObject({ line: 3, severity: 'error' });
    expect(orgIssues[0]!.message).toMatch(/not valid YAML/);
  });
});

describe('training phrases', () => {
  it('reports a file for an unknown intent', async () => {
    await tree.write('intents/fr/housng.txt', phrasesFor('housng', 'fr').join('\n'));
    expectIssue((await tree.load()).issues, 'intents/fr/housng.txt', 1, 'error', /unknown intent "housng".*did you mean "housing"/);
  });

  it('reports an unknown language folder', async () => {
    await tree.write('intents/darija/greeting.txt', phrasesFor('greeting', 'darija').join('\n'));
    expectIssue((await tree.load()).issues, 'intents/darija', 1, 'error', /unknown language folder "darija".*Darija goes in ar/);
  });

  it('refuses fewer than 5 phrases for any intent and warns under 25 for a topic', async () => {
    await tree.write('intents/en/thanks.txt', phrasesFor('thanks', 'en', 4).join('\n'));
    await tree.write('intents/en/housing.txt', phrasesFor('housing', 'en', 10).join('\n'));
    await tree.write('intents/en/goodbye.txt', phrasesFor('goodbye', 'en', 5).join('\n'));
    const { issues } = await tree.load();
    expectIssue(issues, 'intents/en/thanks.txt', 1, 'error', /only 4 training phrases for "thanks" in English: write at least 5/);
    expectIssue(issues, 'intents/en/housing.txt', 1, 'warning', /only 10 training phrases for topic "housing"/);
    expect(issues.filter((i) => i.file === 'intents/en/goodbye.txt')).toEqual([]);
  });

  it('refuses a phrase under two intents of the same language, naming both files and lines', async () => {
    const greeting = phrasesFor('greeting', 'fr');
    const menu = phrasesFor('menu', 'fr');
    menu[6] = '  Bonjour   AIDE '; // menu.txt line 8 (after the # comment line)
    greeting[2] = 'bonjour aide'; // greeting.txt line 4
    await tree.write('intents/fr/greeting.txt', `# greeting\n${greeting.join('\n')}\n`);
    await tree.write('intents/fr/menu.txt', `# menu\n${menu.join('\n')}\n`);
    await tree.write('intents/en/menu.txt', `bonjour aide\n${phrasesFor('menu', 'en').join('\n')}\n`); // other language: allowed
    const { issues } = await tree.load();
    const issue = expectIssue(issues, 'intents/fr/menu.txt', 8, 'error', /under two intents/);
    expect(issue.message).toContain('intents/fr/menu.txt:8');
    expect(issue.message).toContain('intents/fr/greeting.txt:4');
    expect(issue.message).toContain('"greeting"');
    expect(issues.filter((i) => i.file.startsWith('intents/en/'))).toEqual([]);
  });

  it('warns about a duplicate phrase inside one file at the second line', async () => {
    const p = phrasesFor('thanks', 'es');
    await tree.write('intents/es/thanks.txt', [...p.slice(0, 3), '', '# again', p[1]!.toUpperCase(), ...p.slice(3)].join('\n'));
    expectIssue((await tree.load()).issues, 'intents/es/thanks.txt', 6, 'warning', /duplicate phrase .*already on line 2/);
  });

  it('reports a missing phrase file per language (error, or warning when allowed)', async () => {
    await tree.remove('intents/ar/forget-me.txt');
    expectIssue((await tree.load()).issues, 'intents/ar/forget-me.txt', 1, 'error', /Arabic \(ar\) training phrases of intent "forget-me" are missing/);
    expectIssue((await tree.load({ requireAllTopics: false })).issues, 'intents/ar/forget-me.txt', 1, 'warning', /are missing/);
  });

  it('readIntents returns the phrases with blank and comment lines skipped', async () => {
    await tree.write('intents/fr/thanks.txt', '# comment\n\nmerci\n  merci bcp  \nchoukran\nthx\nmersi\n');
    const { phrases, issues } = await readIntents(tree.intentsDir, tree.root);
    expect(phrases.filter((p) => p.intent === 'thanks' && p.lang === 'fr').map((p) => p.text)).toEqual(['merci', 'merci bcp', 'choukran', 'thx', 'mersi']);
    expect(issues).toEqual([]);
  });
});

describe('issue order', () => {
  it('sorts issues by file then line', async () => {
    await writeHousing({ status: 'status: nope', sms: `sms: ${'a'.repeat(400)}` });
    await tree.write('content/topics/banking/en.md', 'no front matter');
    const { issues } = await tree.load();
    const keys = issues.map((i) => [i.file, i.line] as const);
    const sorted = [...keys].sort((x, y) => (x[0] !== y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] - y[1]));
    expect(keys).toEqual(sorted);
    expect(issues.length).toBeGreaterThanOrEqual(3);
  });
});

describe('the shared fixture tree', () => {
  it('is clean again after the tests above reset it', async () => {
    expect(where((await tree.load()).issues)).toEqual([]);
  });
});

describe('pure validators (for the admin editor)', () => {
  it('validateAnswer checks a draft text without touching the disk', () => {
    const text = answerText({ ...answerParts('housing', 'es'), organisations: 'organisations: [gadem, msf]' });
    const r = validateAnswer(text, {
      file: 'content/topics/housing/es.md',
      topic: 'housing',
      lang: 'es',
      smsShortFormSegments: 2,
      today: TODAY,
      organisationIds: new Set(['gadem']),
    });
    expect(where(r.issues)).toEqual([expect.stringMatching(/^content\/topics\/housing\/es\.md:11: error: unknown organisation "msf"/)]);
    expect(r.answer).toMatchObject({ topic: 'housing', lang: 'es', organisations: ['gadem'] });
  });

  it('validateAnswer leaves organisation ids unchecked when it does not know them', () => {
    const text = answerText({ ...answerParts('housing', 'es'), organisations: 'organisations: [anything]' });
    const r = validateAnswer(text, { file: 'x.md', topic: 'housing', lang: 'es', smsShortFormSegments: 2, today: TODAY });
    expect(r.issues).toEqual([]);
  });

  it('validateOrganisations and validateCities return records and issues', () => {
    const orgs = validateOrganisations(ORGANISATIONS_YAML, { file: 'o.yaml', today: TODAY, cityIds: new Set(['oujda']) });
    expect(where(orgs.issues)).toEqual(['o.yaml:4: error: unknown city "rabat" in "cities" (ids are those of content/cities.yaml)']);
    expect(orgs.ids).toEqual(['gadem', 'police', 'helpline']);
    const cities = validateCities(CITIES_YAML, { file: 'c.yaml' });
    expect(cities.issues).toEqual([]);
    expect(cities.cities.map((c) => c.id)).toEqual(['rabat', 'oujda']);
  });
});
