import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config/index.js';
import { contentCheck } from '../../src/cli/content-check.js';
import { formatCell, formatMatrix } from '../../src/cli/content-report.js';
import { LANGS, TOPIC_IDS } from '../../src/domain/index.js';
import { contentReport } from '../../src/knowledge/index.js';
import type { ContentReportRow } from '../../src/knowledge/index.js';
import { TODAY, answerParts, answerText, makeTree } from './fixture-tree.js';
import type { Tree } from './fixture-tree.js';

const run = promisify(execFile);

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

async function check(): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await contentCheck(
    { contentDir: tree.contentDir, intentsDir: tree.intentsDir, smsShortFormSegments: 2, root: tree.root, today: TODAY },
    (l) => lines.push(l),
  );
  return { code, lines };
}

/** Runs a CLI with tsx against the fixture tree through the environment (as `npm run` would). */
async function cli(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, CONTENT_DIR: tree.contentDir, INTENTS_DIR: tree.intentsDir };
  try {
    const today = args.some((a) => a.startsWith('--today=')) ? [] : [`--today=${TODAY}`];
    const argv = ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/cli', script), ...today, ...args];
    const r = await run(process.execPath, argv, { env, cwd: PROJECT_ROOT });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('content:check', () => {
  it('exits 0 with only a summary on valid content', async () => {
    const { code, lines } = await check();
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^content:check: 0 errors, 0 warnings \(128 answers, \d+ training phrases, 3 organisations, 2 cities; version [0-9a-f]{16}\)$/);
  });

  it('exits 0 when there are only warnings', async () => {
    await tree.write('content/topics/housing/fr.md', answerText({ ...answerParts('housing', 'fr'), status: 'status: needs-verification' }));
    const { code, lines } = await check();
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^content\/topics\/housing\/fr\.md:3: warning: Users see this answer marked “not yet checked”/);
    expect(lines.at(-1)).toMatch(/^content:check: 0 errors, 1 warning \(/);
  });

  it('prints file:line: severity: message sorted by file then line and exits 1 on an error', async () => {
    await tree.write('content/topics/housing/fr.md', answerText({ ...answerParts('housing', 'fr'), status: 'status: nope', sms: `sms: ${'a'.repeat(400)}` }));
    await tree.write('content/topics/banking/en.md', 'no front matter');
    const { code, lines } = await check();
    expect(code).toBe(1);
    expect(lines.slice(0, -1)).toEqual([
      'content/topics/banking/en.md:1: error: The fields are missing: the file must start with a line "---", then the fields (title, status, sources, sms...), then a line "---".',
      'content/topics/housing/fr.md:3: error: The status must be one of published, needs-verification, draft (found "nope").',
      'content/topics/housing/fr.md:12: error: Too long: 3 SMS in GSM-7 (400 characters), the limit is 2 SMS (306 characters). Remove at least 94 characters.',
    ]);
    expect(lines.at(-1)).toMatch(/^content:check: 3 errors, 0 warnings/);
  });

  it('fails on a short label over 20 characters and only warns about a missing one', async () => {
    await tree.write('content/topics/housing/fr.md', answerText({ ...answerParts('housing', 'fr'), label: '' }));
    const missing = await check();
    expect(missing.code).toBe(0);
    expect(missing.lines.slice(0, -1)).toEqual([expect.stringMatching(/^content\/topics\/housing\/fr\.md:1: warning: No short label: add one for menus and buttons \(at most 20 characters\)/)]);
    await tree.write('content/topics/housing/fr.md', answerText({ ...answerParts('housing', 'fr'), label: 'label: "Voir un médecin : soins"' }));
    const long = await check();
    expect(long.code).toBe(1);
    expect(long.lines.slice(0, -1)).toEqual(['content/topics/housing/fr.md:14: error: The short label is 23 characters long: WhatsApp buttons take at most 20. Remove at least 3 characters.']);
  });

  it('refuses an unknown option or a malformed --today', async () => {
    expect((await cli('content-check.ts', ['--strict'])).code).toBe(2);
    expect((await cli('content-check.ts', ['--today=28/11/2026'])).stderr).toMatch(/--today must be a date/);
  });

  it('runs as a command with the configured folders', async () => {
    await tree.remove('content/topics/housing/es.md');
    const strict = await cli('content-check.ts', []);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('content/topics/housing/es.md:1: error: The Spanish answer of the topic "housing" is missing.');
    const relaxed = await cli('content-check.ts', ['--allow-missing']);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toMatch(/content:check: 0 errors, 1 warning/);
  }, 60_000);

  it('says the same sentences as the editors\' app, in French or Arabic on request', async () => {
    await tree.remove('content/topics/housing/es.md');
    const fr = await cli('content-check.ts', ['--lang=fr']);
    expect(fr.stdout).toContain('content/topics/housing/es.md:1: erreur : La réponse en espagnol du sujet « housing » manque.'.replace('erreur :', 'erreur:'));
    expect(fr.stdout).toMatch(/content:check: 1 erreur, 0 avertissement \(/);
    const ar = await cli('content-check.ts', ['--lang=ar']);
    expect(ar.stdout).toContain('content/topics/housing/es.md:1: خطأ: جواب الموضوع «housing» باللغة الإسبانية غير موجود.');
    expect(ar.stdout).toMatch(/content:check: خطأ واحد، لا تنبيهات \(/);
    expect((await cli('content-check.ts', ['--lang=de'])).code).toBe(2);
  }, 60_000);
});

describe('content:report', () => {
  it('has one row per topic and language, missing variants included', async () => {
    await tree.remove('content/topics/housing/ar.md');
    await tree.write('content/topics/banking/fr.md', answerText({ ...answerParts('banking', 'fr'), status: 'status: draft', reviewed: 'reviewed: 2026-11-18', sms: 'sms: ça' }));
    const rows = contentReport((await tree.load({ requireAllTopics: false })).kb, TODAY);
    expect(rows).toHaveLength(TOPIC_IDS.length * LANGS.length);
    expect(rows.find((r) => r.topic === 'housing' && r.lang === 'ar')).toEqual({
      topic: 'housing',
      lang: 'ar',
      status: 'missing',
      smsSegments: null,
      smsEncoding: null,
      reviewedDaysAgo: null,
    });
    expect(rows.find((r) => r.topic === 'banking' && r.lang === 'fr')).toEqual({
      topic: 'banking',
      lang: 'fr',
      status: 'draft',
      smsSegments: 1,
      // Counted as the SMS adapter sends it: "ça" folds to "ca", in GSM-7.
      smsEncoding: 'GSM-7',
      reviewedDaysAgo: 10,
    });
  });

  it('formats cells and the matrix', () => {
    const row: ContentReportRow = { topic: 'housing', lang: 'fr', status: 'needs-verification', smsSegments: 2, smsEncoding: 'GSM-7', reviewedDaysAgo: 14 };
    expect(formatCell(row)).toBe('NV 2G 14d');
    expect(formatCell({ ...row, status: 'missing', smsSegments: null, smsEncoding: null, reviewedDaysAgo: null })).toBe('--');
    const lines = formatMatrix([row]);
    expect(lines[0]).toMatch(/^topic\s+fr\s+en\s+ar\s+es$/);
    expect(lines.find((l) => l.startsWith('housing '))).toMatch(/^housing\s+NV 2G 14d\s+--\s+--\s+--$/);
  });

  it('prints JSON with --json', async () => {
    const r = await cli('content-report.ts', ['--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as ContentReportRow[];
    expect(rows).toHaveLength(TOPIC_IDS.length * LANGS.length);
    expect(rows[0]).toEqual({ topic: 'residence-permit', lang: 'fr', status: 'published', smsSegments: 1, smsEncoding: 'GSM-7', reviewedDaysAgo: 0 });
  });
});
