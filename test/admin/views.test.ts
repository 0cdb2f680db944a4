/**
 * What every page of the admin relies on: HTML escaping, redirects kept inside the admin, and
 * every interface string in French, English and Arabic.
 */
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, safeNext } from '../../src/admin/html.js';
import { ar } from '../../src/admin/locales/ar.js';
import { en } from '../../src/admin/locales/en.js';
import { fr } from '../../src/admin/locales/fr.js';

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
        expect([...v.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort(), k).toEqual([...en[k as keyof typeof en].matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
      }
    }
  });
});
