/**
 * What every page of the admin relies on: HTML escaping, redirects kept inside the admin, and
 * every interface string in French, English and Arabic.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { escapeHtml, html, safeNext } from '../../src/admin/html.js';
import { translator } from '../../src/admin/i18n.js';
import { PROJECT_ROOT } from '../../src/config/index.js';
import { ar } from '../../src/admin/locales/ar.js';
import { en } from '../../src/admin/locales/en.js';
import { fr } from '../../src/admin/locales/fr.js';

/** The variables a string fills: `{name}` and `{name, plural, ...}`. */
const variables = (s: string): string[] => {
  const flat = s.replace(/\{(\w+), plural,(?:\s*(?:=\d+|zero|one|two|few|many|other) \{[^{}]*\})+\s*\}/g, '{$1}');
  return [...new Set([...flat.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
};

describe('html', () => {
  it('escapes every value put into a template', () => {
    const evil = `<script>alert("x")</script>' onload='x' \``;
    const out = html`<p title="${evil}">${evil}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out.match(/["'`]/g)).toEqual(['"', '"']);
    expect(out).toBe(`<p title="${escapeHtml(evil)}">${escapeHtml(evil)}</p>`);
    expect(html`${[html`<b>${'<i>'}</b>`, '<u>']}`.value).toBe('<b>&lt;i&gt;</b>&lt;u&gt;');
  });

  it('redirects only inside the admin', () => {
    expect(safeNext('/admin/review', '/admin', '/admin/')).toBe('/admin/review');
    for (const bad of ['https://evil.example/admin/', '//evil.example', '/adminx', '/admin/\\evil', 42]) expect(safeNext(bad, '/admin', '/admin/')).toBe('/admin/');
  });

  it('has every interface string in French, English and Arabic', () => {
    for (const table of [fr, ar]) {
      expect(Object.keys(table).sort()).toEqual(Object.keys(en).sort());
      for (const [k, v] of Object.entries(table)) {
        expect(v.trim(), k).not.toBe('');
        expect(variables(v), k).toEqual(variables(en[k as keyof typeof en]));
      }
    }
  });

  it('has a sentence in every language for every issue code the checks give', () => {
    // Codes are written where issues are made: `code: 'sms.tooLong'` in src/knowledge and src/admin.
    const codes = new Set<string>();
    for (const dir of ['src/knowledge', 'src/admin']) {
      for (const file of readdirSync(path.join(PROJECT_ROOT, dir), { recursive: true, encoding: 'utf8' })) {
        if (!file.endsWith('.ts') || file.includes('locales')) continue;
        const text = readFileSync(path.join(PROJECT_ROOT, dir, file), 'utf8');
        for (const m of text.matchAll(/\bcode: '([a-z]+\.[A-Za-z0-9]+)'/g)) codes.add(m[1]!);
      }
    }
    expect(codes.size).toBeGreaterThanOrEqual(10);
    for (const code of codes) {
      for (const table of [en, fr, ar] as Array<Record<string, string>>) expect(table[`issue.${code}`], code).toBeTruthy();
    }
  });

  it('says plurals right in each language', () => {
    const t = { fr: translator('fr'), en: translator('en'), ar: translator('ar') };
    expect(t.fr('phrases.count', { n: 1 })).toBe('1 phrase');
    expect(t.fr('phrases.count', { n: 3 })).toBe('3 phrases');
    expect(t.fr('review.checks', { errors: 1, warnings: 1 })).toBe('1 problème à corriger, 1 conseil');
    expect(t.fr('review.checks', { errors: 0, warnings: 2 })).toBe('Aucun problème à corriger, 2 conseils');
    expect(t.en('missed.count', { n: 1 })).toBe('asked once');
    expect(t.en('tr.apply', { n: 1 })).toBe('Save this answer as a change to review');
    expect(t.ar('phrases.count', { n: 2 })).toBe('عبارتان');
    expect(t.ar('phrases.count', { n: 5 })).toBe('5 عبارات');
    expect(t.ar('phrases.count', { n: 11 })).toBe('11 عبارة');
  });
});
