/**
 * Server-rendered HTML with one strict rule: every value put into a template is escaped, unless it
 * is `Html` made by the `html` tag itself (or `raw` for a constant written in this code).
 */

/** A fragment of HTML known to be safe. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Escapes text for an HTML body or a quoted attribute (& < > " ' `). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/`/g, '&#96;');
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** The template tag: `html\`<p>${text}</p>\`` escapes `text`; arrays are joined; null, undefined and false are dropped. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** A local path of the admin to redirect to, or `fallback` (no open redirects). */
export function safeNext(next: unknown, base: string, fallback: string): string {
  if (typeof next !== 'string') return fallback;
  if (!next.startsWith(`${base}/`) && next !== base) return fallback;
  if (next.startsWith('//') || /[\\\r\n]/.test(next)) return fallback;
  return next;
}
