/**
 * HTML for channels that render a subset of it (Telegram's `parse_mode: "HTML"`).
 * https://core.telegram.org/bots/api#html-style: only `&`, `<`, `>` (and `"` in attributes) must be escaped.
 */

/** Escapes text for an HTML body or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Plain reply text (with `*bold*` as the only markup) to safe HTML: everything escaped, then each
 * `*bold*` span on one line turned into `<b>bold</b>`. A lone `*` stays a literal asterisk.
 */
export function markupToHtml(text: string): string {
  return escapeHtml(text).replace(/\*([^*\n]+)\*/g, '<b>$1</b>');
}
